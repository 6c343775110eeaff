/**
 * The send-time check of a template message's parameters against the stored template
 * (reference §1.1.2): counts per component (132000), types and names (132012), hydrated lengths
 * (132005), the character policy for parameter text (132007). Pure: the emulator runs it on every
 * template send, the platform before queueing one.
 *
 * @example
 * const spec = compileTemplateSpec(storedTemplate);          // once per stored definition
 * const hydrated = checkTemplateParameters(spec, send.template.components); // throws GraphError
 * console.log(hydrated.body);
 */
import { ErrorCode } from '../errors/catalogue.js';
import { GraphError } from '../errors/graph-error.js';
import { TemplateLimits } from './template-limits.js';
import type { ButtonSpec, TemplateSendSpec } from './template-send-spec.js';
import { isRecord } from './request-values.js';
import { hydrate } from './template-variables.js';

export interface HydratedButton {
  index: number;
  subType: string;
  text: string;
  url?: string;
  payload?: string;
  couponCode?: string;
}

export interface HydratedTemplate {
  header?:
    | { type: 'text'; text: string }
    | { type: 'image' | 'video' | 'document' | 'gif'; media: { id?: string; link?: string; filename?: string } }
    | { type: 'location'; location: { latitude: number; longitude: number; name?: string; address?: string } };
  body: string;
  footer?: string;
  buttons: HydratedButton[];
}

const countMismatch = (where: string, given: number, expected: number) =>
  new GraphError(ErrorCode.TemplateParamCountMismatch, {
    details: `${where}: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
  });
const formatMismatch = (details: string) => new GraphError(ErrorCode.TemplateParamFormatMismatch, { details });
const tooLong = (details: string) => new GraphError(ErrorCode.TemplateHydratedTextTooLong, { details });
const missing = (details: string) => new GraphError(ErrorCode.RequiredParameterMissing, { details });
const invalid = (details: string) => new GraphError(ErrorCode.ParameterValueInvalid, { details });

/** Meta's character policy for parameter text. */
function checkPolicy(value: string, where: string): void {
  if (/[\n\t]/.test(value) || / {5,}/.test(value)) {
    throw new GraphError(ErrorCode.TemplateFormatPolicy, {
      details: `${where}: Param text cannot have new-line/tab characters or more than 4 consecutive spaces`,
    });
  }
}

interface ReadParam {
  type: string;
  /** The text the parameter renders as (text, fallback_value, payload, coupon code). */
  value: string;
  raw: Record<string, unknown>;
}

const BODY_TYPES = ['text', 'currency', 'date_time'] as const;

function readParam(p: unknown, where: string, allowed: readonly string[]): ReadParam {
  if (!isRecord(p)) throw missing(`${where}: each parameter is an object with a type`);
  const type = typeof p.type === 'string' ? p.type.toLowerCase() : undefined;
  if (!type) throw missing(`${where}: parameter type is required`);
  if (!allowed.includes(type)) throw formatMismatch(`${where}: a parameter of type ${type} where the template expects ${allowed.join(' or ')}`);
  switch (type) {
    case 'text':
      return { type, value: textValue(p.text, 'text', where), raw: p };
    case 'payload':
      return { type, value: textValue(p.payload, 'payload', where), raw: p };
    case 'coupon_code': {
      const code = textValue(p.coupon_code, 'coupon_code', where);
      if (code.length > TemplateLimits.copyCodeExampleMaxLength) throw tooLong(`${where}: coupon_code is at most ${TemplateLimits.copyCodeExampleMaxLength} characters`);
      return { type, value: code, raw: p };
    }
    case 'currency': {
      const currency = objectField(p, 'currency', where, type);
      const value = textValue(currency.fallback_value, 'currency.fallback_value', where);
      if (typeof currency.code !== 'string' || !/^[A-Z]{3}$/.test(currency.code)) throw invalid(`${where}: currency.code must be an ISO 4217 code such as USD`);
      if (!Number.isInteger(currency.amount_1000)) throw invalid(`${where}: currency.amount_1000 must be an integer (amount × 1000)`);
      return { type, value, raw: p };
    }
    case 'date_time':
      return { type, value: textValue(objectField(p, 'date_time', where, type).fallback_value, 'date_time.fallback_value', where), raw: p };
    case 'location': {
      const location = objectField(p, 'location', where, type);
      for (const axis of ['latitude', 'longitude'] as const) {
        const n = typeof location[axis] === 'string' ? Number(location[axis]) : location[axis];
        if (location[axis] === undefined) throw missing(`${where}: location.${axis} is required`);
        if (typeof n !== 'number' || !Number.isFinite(n)) throw invalid(`${where}: location.${axis} must be a number`);
      }
      return { type, value: '', raw: p };
    }
    case 'action':
      objectField(p, 'action', where, type);
      return { type, value: '', raw: p };
    default: {
      // Media: exactly one of id or link.
      const media = objectField(p, type, where, type);
      const hasId = typeof media.id === 'string' && media.id !== '';
      const hasLink = typeof media.link === 'string' && media.link !== '';
      if (!hasId && !hasLink) throw missing(`${where}: ${type}.id or ${type}.link is required`);
      if (hasId && hasLink) throw invalid(`${where}: give ${type}.id or ${type}.link, not both`);
      if (hasLink && !/^https?:\/\//i.test(media.link as string)) throw invalid(`${where}: ${type}.link must be an http(s) URL`);
      return { type, value: '', raw: p };
    }
  }
}

// Module-level rather than closures in readParam: run under tsx (esbuild's keepNames), a named
// closure is wrapped in __name on every call, which showed in the accept profile.
function objectField(p: Record<string, unknown>, name: string, where: string, type: string): Record<string, unknown> {
  const value = p[name];
  if (!isRecord(value)) throw missing(`${where}: the ${name} object is required for a parameter of type ${type}`);
  return value;
}

function textValue(value: unknown, name: string, where: string): string {
  if (value === undefined || value === '') throw missing(`${where}: ${name} is required`);
  if (typeof value !== 'string') throw invalid(`${where}: ${name} must be a string`);
  return value;
}

function paramsOf(component: Record<string, unknown> | undefined, where: string): unknown[] {
  if (component?.parameters === undefined) return [];
  if (!Array.isArray(component.parameters)) throw invalid(`${where}: parameters must be an array`);
  return component.parameters;
}

/** Binds each given parameter to a variable name: its position, or its parameter_name (NAMED). */
function bind(spec: TemplateSendSpec, names: string[], params: unknown[], where: string, allowed: readonly string[]): Map<string, ReadParam> {
  if (params.length !== names.length) throw countMismatch(where, params.length, names.length);
  const named = spec.format === 'NAMED' && !spec.authentication;
  const bound = new Map<string, ReadParam>();
  params.forEach((p, i) => {
    const at = `${where}.parameters[${i}]`;
    const read = readParam(p, at, allowed);
    let name = String(i + 1);
    if (named) {
      const given = (p as Record<string, unknown>).parameter_name;
      if (typeof given !== 'string' || given === '') throw formatMismatch(`${at}: parameter_name is required for a template with NAMED parameters`);
      if (!names.includes(given)) throw formatMismatch(`${at}: parameter_name "${given}" is not a variable of this template (${names.join(', ')})`);
      if (bound.has(given)) throw formatMismatch(`${at}: parameter_name "${given}" is given twice`);
      name = given;
    }
    if (read.type === 'text') checkPolicy(read.value, at);
    if (spec.authentication && read.value.length > TemplateLimits.authParameterMaxLength) {
      throw tooLong(`${at}: authentication parameters are at most ${TemplateLimits.authParameterMaxLength} characters`);
    }
    bound.set(name, read);
  });
  return bound;
}

const valuesOf = (bound: Map<string, ReadParam>) => new Map([...bound].map(([k, v]) => [k, v.value]));

export function checkTemplateParameters(spec: TemplateSendSpec, components: unknown): HydratedTemplate {
  const list = components ?? [];
  if (!Array.isArray(list)) throw invalid('template.components must be an array');
  let header: Record<string, unknown> | undefined;
  let body: Record<string, unknown> | undefined;
  const buttons = new Map<number, Record<string, unknown>>();
  list.forEach((c: unknown, i) => {
    const at = `template.components[${i}]`;
    if (!isRecord(c)) throw invalid(`${at} must be an object`);
    const type = typeof c.type === 'string' ? c.type.toLowerCase() : undefined;
    if (type === 'header' || type === 'body') {
      if ((type === 'header' ? header : body) !== undefined) throw invalid(`${at}: the ${type} component is given twice`);
      if (type === 'header') header = c;
      else body = c;
    } else if (type === 'button') {
      if (typeof c.sub_type !== 'string' || c.sub_type === '') throw missing(`${at}: sub_type is required for button components`);
      const index = typeof c.index === 'string' && /^\d+$/.test(c.index) ? Number(c.index) : c.index;
      if (c.index === undefined) throw missing(`${at}: index is required for button components`);
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > 9) throw invalid(`${at}: index must be 0 to 9`);
      if (buttons.has(index)) throw invalid(`${at}: a button component for index ${index} is given twice`);
      buttons.set(index, c);
    } else if (type === 'footer') {
      const count = paramsOf(c, 'footer').length;
      if (count > 0) throw countMismatch('footer', count, 0);
    } else {
      throw invalid(`${at}: type must be header, body or button`);
    }
  });

  const out: HydratedTemplate = { body: '', buttons: [] };

  // Header
  const headerParams = paramsOf(header, 'header');
  const h = spec.header;
  if (h.kind === 'none' || (h.kind === 'text' && h.names.length === 0)) {
    if (headerParams.length > 0) throw countMismatch('header', headerParams.length, 0);
    if (h.kind === 'text') out.header = { type: 'text', text: h.text };
  } else if (h.kind === 'text') {
    const bound = bind(spec, h.names, headerParams, 'header', ['text']);
    const text = hydrate(h.text, valuesOf(bound));
    if (text.length > TemplateLimits.sendHeaderMaxLength) {
      throw tooLong(`header: the header with its parameter is ${text.length} characters; the limit is ${TemplateLimits.sendHeaderMaxLength}`);
    }
    out.header = { type: 'text', text };
  } else {
    if (headerParams.length !== 1) throw countMismatch('header', headerParams.length, 1);
    const allowed = h.kind === 'location' ? ['location'] : h.format === 'gif' ? ['gif', 'video'] : [h.format];
    const read = readParam(headerParams[0], 'header.parameters[0]', allowed);
    if (h.kind === 'location') {
      const l = read.raw.location as Record<string, unknown>;
      out.header = {
        type: 'location',
        location: {
          latitude: Number(l.latitude),
          longitude: Number(l.longitude),
          ...(typeof l.name === 'string' ? { name: l.name } : {}),
          ...(typeof l.address === 'string' ? { address: l.address } : {}),
        },
      };
    } else {
      const m = read.raw[read.type] as Record<string, unknown>;
      out.header = {
        type: h.format,
        media: {
          ...(typeof m.id === 'string' && m.id ? { id: m.id } : {}),
          ...(typeof m.link === 'string' && m.link ? { link: m.link } : {}),
          ...(typeof m.filename === 'string' ? { filename: m.filename } : {}),
        },
      };
    }
  }

  // Body
  const bound = bind(spec, spec.body.names, paramsOf(body, 'body'), 'body', BODY_TYPES);
  out.body = hydrate(spec.body.text, valuesOf(bound));
  const bodyLimit = spec.bodyOnly ? TemplateLimits.sendBodyOnlyMaxLength : TemplateLimits.sendBodyMaxLength;
  if (out.body.length > bodyLimit) {
    throw tooLong(`body: the body with its parameters is ${out.body.length} characters; the limit is ${bodyLimit}${spec.bodyOnly ? '' : ' when the template has other components'}`);
  }
  if (spec.footer !== undefined) out.footer = spec.footer;

  // Buttons
  for (const index of buttons.keys()) {
    if (!spec.buttons.some((b) => b.index === index)) throw countMismatch(`button at index ${index}`, paramsOf(buttons.get(index), 'button').length, 0);
  }
  for (const button of spec.buttons) out.buttons.push(checkButton(spec, button, buttons.get(button.index)));
  return out;
}

const BUTTON_PARAM: Record<string, readonly string[]> = {
  url: ['text'],
  quick_reply: ['payload'],
  copy_code: ['coupon_code'],
  flow: ['action'],
  catalog: ['action'],
  mpm: ['action'],
};

function checkButton(spec: TemplateSendSpec, button: ButtonSpec, given: Record<string, unknown> | undefined): HydratedButton {
  const where = `button at index ${button.index} (${button.subType})`;
  const out: HydratedButton = { index: button.index, subType: button.subType, text: button.text };
  if (button.url !== undefined) out.url = button.url;
  if (!given) {
    if (button.params.min > 0) throw countMismatch(where, 0, button.params.min);
    return out;
  }
  const subType = String(given.sub_type).toLowerCase();
  if (subType !== button.subType) throw formatMismatch(`${where}: sub_type ${subType} does not match the template's ${button.subType} button`);
  const params = paramsOf(given, where);
  if (params.length < button.params.min || params.length > button.params.max) throw countMismatch(where, params.length, button.params.max);
  if (params.length === 0) return out;
  const read = readParam(params[0], `${where}.parameters[0]`, BUTTON_PARAM[button.subType] ?? []);
  if (spec.authentication && read.value.length > TemplateLimits.authParameterMaxLength) {
    throw tooLong(`${where}: authentication parameters are at most ${TemplateLimits.authParameterMaxLength} characters`);
  }
  if (button.subType === 'url' && button.url !== undefined) {
    out.url = button.url.replace('{{1}}', read.value);
    if (out.url.length > TemplateLimits.urlMaxLength) throw tooLong(`${where}: the URL with its parameter is ${out.url.length} characters; the limit is ${TemplateLimits.urlMaxLength}`);
  } else if (button.subType === 'url') {
    out.url = read.value;
  }
  if (read.type === 'payload') out.payload = read.value;
  if (read.type === 'coupon_code') out.couponCode = read.value;
  return out;
}
