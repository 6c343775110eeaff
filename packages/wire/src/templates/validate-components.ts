/**
 * The components of a template request: one BODY (required), at most one HEADER, FOOTER and
 * BUTTONS, each with Meta's length, variable and sample rules (reference §1.3).
 */
import { TemplateLimits } from './template-limits.js';
import { TemplateSubcode, type ProblemList } from './template-problem.js';
import {
  HEADER_FORMATS,
  type BodyComponent,
  type FooterComponent,
  type HeaderComponent,
  type HeaderFormat,
  type NamedParamExample,
  type ParameterFormat,
  type TemplateCategory,
  type TemplateComponent,
} from './template-types.js';
import { EMOJI, URL_LIKE, booleanish, integerish, isRecord, jsonish, shown, upper } from './request-values.js';
import { scanVariables, hasDanglingVariable, tooManyVariables } from './template-variables.js';
import { validateButtons } from './validate-buttons.js';

export interface ComponentRules {
  category: TemplateCategory;
  format: ParameterFormat;
}

const KINDS = ['HEADER', 'BODY', 'FOOTER', 'BUTTONS'] as const;

export function validateComponents(raw: unknown, rules: ComponentRules, problems: ProblemList): TemplateComponent[] {
  if (raw === undefined) {
    problems.add('components', 'Missing components', 'The parameter components is required.');
    return [];
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.add('components', 'Invalid components', 'components must be a non-empty array of HEADER, BODY, FOOTER and BUTTONS objects.');
    return [];
  }
  const seen = new Set<string>();
  const out: TemplateComponent[] = [];
  raw.forEach((item: unknown, i) => {
    const path = `components[${i}]`;
    const component = jsonish(item);
    if (!isRecord(component)) {
      problems.add(path, 'Invalid component', 'Each component must be an object with a type.');
      return;
    }
    const type = upper(component.type);
    if (!type || !(KINDS as readonly string[]).includes(type)) {
      problems.add(`${path}.type`, 'Unsupported component', `Component type ${shown(component.type)} is not supported; use HEADER, BODY, FOOTER or BUTTONS.`);
      return;
    }
    if (seen.has(type)) {
      problems.add(`${path}.type`, 'Duplicate component', `A template has at most one ${type} component.`);
      return;
    }
    seen.add(type);
    const validated =
      type === 'HEADER'
        ? validateHeader(component, path, rules, problems)
        : type === 'BODY'
          ? validateBody(component, path, rules, problems)
          : type === 'FOOTER'
            ? validateFooter(component, path, rules, problems)
            : validateButtons(component, path, rules.category, problems);
    if (validated) out.push(validated);
  });
  if (!seen.has('BODY')) problems.add('components', 'Missing body', 'A template needs a BODY component.', TemplateSubcode.BodyFormat);
  if (rules.category === 'AUTHENTICATION' && !seen.has('BUTTONS')) {
    problems.add('components', 'Missing OTP button', 'Authentication templates need a BUTTONS component with one OTP button.');
  }
  return out;
}

function validateBody(c: Record<string, unknown>, path: string, rules: ComponentRules, problems: ProblemList): BodyComponent | undefined {
  const auth = rules.category === 'AUTHENTICATION';
  const out: BodyComponent = { type: 'BODY' };
  if (auth) {
    if (c.add_security_recommendation !== undefined) {
      const flag = booleanish(c.add_security_recommendation);
      if (flag === undefined) problems.add(`${path}.add_security_recommendation`, 'Invalid parameter', 'add_security_recommendation must be true or false.');
      else out.add_security_recommendation = flag;
    }
    // Meta writes the body of authentication templates; custom text, where given, must follow the same rules.
    if (c.text === undefined) return out;
  }
  const text = c.text;
  if (typeof text !== 'string' || text.trim() === '') {
    problems.add(`${path}.text`, 'Missing body text', 'The BODY component needs text.', TemplateSubcode.BodyFormat);
    return undefined;
  }
  out.text = text;
  if (text.length > TemplateLimits.bodyMaxLength) {
    problems.add(`${path}.text`, 'Body too long', `Body text is ${text.length} characters; the limit is ${TemplateLimits.bodyMaxLength}.`, TemplateSubcode.FieldTooLong);
  }
  const scan = scanVariables(text, rules.format);
  for (const error of scan.errors) problems.add(`${path}.text`, 'Message body format is incorrect', error, TemplateSubcode.BodyFormat);
  if (scan.errors.length > 0) return out;
  // Meta's own authentication text starts with the code ("*{{1}}* is your verification code."), so
  // the placement rules below are for the other categories only.
  if (!auth && hasDanglingVariable(text, scan.tokens)) {
    problems.add(`${path}.text`, 'Invalid parameter(s) position', "Variables can't be at the start or end of the template body.", TemplateSubcode.DanglingVariable);
  } else if (!auth && tooManyVariables(text, scan)) {
    problems.add(
      `${path}.text`,
      'Too many variables for the message length',
      `The body has ${scan.names.length} variable(s) for too little text; add words around them or use fewer variables.`,
      TemplateSubcode.TooManyVariables,
    );
  }
  if (auth) {
    if (scan.names.length !== 1) problems.add(`${path}.text`, 'Invalid authentication body', 'An authentication body has exactly one variable: the code.');
    if (URL_LIKE.test(text)) problems.add(`${path}.text`, 'Invalid authentication body', "Authentication templates can't contain URLs.");
    if (EMOJI.test(text)) problems.add(`${path}.text`, 'Invalid authentication body', "Authentication templates can't contain emoji.");
  }
  const example = jsonish(c.example);
  if (scan.names.length > 0) {
    const checked = checkExamples(example, 'body', scan.names, rules.format, `${path}.example`, problems);
    if (checked) out.example = checked.positional ? { body_text: [checked.positional] } : { body_text_named_params: checked.named ?? [] };
  }
  return out;
}

function validateHeader(c: Record<string, unknown>, path: string, rules: ComponentRules, problems: ProblemList): HeaderComponent | undefined {
  if (rules.category === 'AUTHENTICATION') {
    problems.add(path, 'Invalid authentication template', "Authentication templates can't have a header (no media or text headers).", TemplateSubcode.HeaderFormat);
    return undefined;
  }
  const format = upper(c.format);
  if (!format || !(HEADER_FORMATS as readonly string[]).includes(format)) {
    problems.add(`${path}.format`, 'Message header format is incorrect', 'HEADER format must be TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION.', TemplateSubcode.HeaderFormat);
    return undefined;
  }
  if (format === 'GIF' && rules.category !== 'MARKETING') {
    problems.add(`${path}.format`, 'Message header format is incorrect', 'GIF headers are only available for MARKETING templates.', TemplateSubcode.HeaderFormat);
  }
  const out: HeaderComponent = { type: 'HEADER', format: format as HeaderFormat };
  const example = jsonish(c.example);
  if (format === 'TEXT') {
    const text = c.text;
    if (typeof text !== 'string' || text.trim() === '') {
      problems.add(`${path}.text`, 'Message header format is incorrect', 'A TEXT header needs text.', TemplateSubcode.HeaderFormat);
      return undefined;
    }
    out.text = text;
    if (text.length > TemplateLimits.headerTextMaxLength) {
      problems.add(`${path}.text`, 'Header too long', `Header text is ${text.length} characters; the limit is ${TemplateLimits.headerTextMaxLength}.`, TemplateSubcode.FieldTooLong);
    }
    if (/[\r\n]/.test(text)) problems.add(`${path}.text`, 'Message header format is incorrect', "Header text can't contain new lines.", TemplateSubcode.HeaderFormat);
    const scan = scanVariables(text, rules.format);
    for (const error of scan.errors) problems.add(`${path}.text`, 'Message header format is incorrect', error, TemplateSubcode.HeaderFormat);
    if (scan.names.length > TemplateLimits.headerTextMaxVariables) {
      problems.add(`${path}.text`, 'Message header format is incorrect', 'A text header can have at most one variable.', TemplateSubcode.HeaderFormat);
    } else if (scan.names.length === 1 && scan.errors.length === 0) {
      const checked = checkExamples(example, 'header', scan.names, rules.format, `${path}.example`, problems);
      if (checked) out.example = checked.positional ? { header_text: checked.positional } : { header_text_named_params: checked.named ?? [] };
    }
    return out;
  }
  if (format === 'LOCATION') return out;
  const handles = isRecord(example) ? jsonish(example.header_handle) : undefined;
  if (!Array.isArray(handles) || handles.length === 0 || !handles.every((h) => typeof h === 'string' && h.trim() !== '')) {
    problems.add(
      `${path}.example.header_handle`,
      'Missing media sample',
      `A ${format} header needs a sample: example.header_handle with a handle from the Resumable Upload API.`,
      TemplateSubcode.HeaderFormat,
    );
    return out;
  }
  out.example = { header_handle: handles as string[] };
  return out;
}

function validateFooter(c: Record<string, unknown>, path: string, rules: ComponentRules, problems: ProblemList): FooterComponent | undefined {
  if (rules.category === 'AUTHENTICATION') {
    const out: FooterComponent = { type: 'FOOTER' };
    if (c.text !== undefined) problems.add(`${path}.text`, 'Message footer format is incorrect', 'Authentication footers have no text; set code_expiration_minutes.', TemplateSubcode.FooterFormat);
    if (c.code_expiration_minutes !== undefined) {
      const minutes = integerish(c.code_expiration_minutes);
      const { min, max } = TemplateLimits.codeExpirationMinutes;
      if (minutes === undefined || minutes < min || minutes > max) {
        problems.add(`${path}.code_expiration_minutes`, 'Invalid code expiration', `code_expiration_minutes must be an integer from ${min} to ${max}.`);
      } else out.code_expiration_minutes = minutes;
    }
    return out;
  }
  const text = c.text;
  if (typeof text !== 'string' || text.trim() === '') {
    problems.add(`${path}.text`, 'Message footer format is incorrect', 'The FOOTER component needs text.', TemplateSubcode.FooterFormat);
    return undefined;
  }
  if (text.length > TemplateLimits.footerMaxLength) {
    problems.add(`${path}.text`, 'Footer too long', `Footer text is ${text.length} characters; the limit is ${TemplateLimits.footerMaxLength}.`, TemplateSubcode.FieldTooLong);
  }
  if (text.includes('{{')) problems.add(`${path}.text`, 'Message footer format is incorrect', "Footers can't contain variables.", TemplateSubcode.FooterFormat);
  return { type: 'FOOTER', text };
}

interface CheckedExamples {
  positional?: string[];
  named?: NamedParamExample[];
}

/** Samples for the variables of a body or header: required whenever variables exist. */
function checkExamples(
  example: unknown,
  where: 'body' | 'header',
  names: string[],
  format: ParameterFormat,
  path: string,
  problems: ProblemList,
): CheckedExamples | undefined {
  const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  const ex = isRecord(example) ? example : {};
  if (format === 'POSITIONAL') {
    const field = `${where}_text`;
    const raw = jsonish(ex[field]);
    const values = where === 'body' ? (Array.isArray(raw) ? jsonish(raw[0]) : undefined) : raw;
    if (!Array.isArray(values) || values.length !== names.length || !values.every(nonEmpty)) {
      const shape = where === 'body' ? `[[${names.map((n) => `"<value of {{${n}}}>"`).join(', ')}]]` : `["<value of {{${names[0]}}}>"]`;
      problems.add(`${path}.${field}`, 'Missing sample values', `The ${where} has ${names.length} variable(s); give one sample for each as example.${field}: ${shape}.`);
      return undefined;
    }
    return { positional: values };
  }
  const field = `${where}_text_named_params`;
  const raw = jsonish(ex[field]);
  const list = Array.isArray(raw) ? raw : [];
  const given = new Map<string, string>();
  for (const item of list) {
    if (isRecord(item) && typeof item.param_name === 'string' && nonEmpty(item.example) && !given.has(item.param_name)) {
      given.set(item.param_name, item.example);
    } else {
      problems.add(`${path}.${field}`, 'Invalid sample values', `Each entry of example.${field} is {param_name, example} with a unique name and a non-empty example.`);
      return undefined;
    }
  }
  const missing = names.filter((n) => !given.has(n));
  const extra = [...given.keys()].filter((n) => !names.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    problems.add(
      `${path}.${field}`,
      'Missing sample values',
      `example.${field} must give exactly the ${where}'s variables` +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (extra.length ? `; not in the text: ${extra.join(', ')}` : '') +
        '.',
    );
    return undefined;
  }
  return { named: names.map((n) => ({ param_name: n, example: given.get(n) ?? '' })) };
}
