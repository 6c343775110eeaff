/**
 * The BUTTONS component: at most 10 buttons, per-type caps (quick replies 10, URL 2, phone 1,
 * copy code 1), labels of at most 25 characters, URL buttons with one variable at the end and a
 * sample, quick replies grouped together, OTP buttons for authentication templates only.
 */
import { TemplateLimits } from './template-limits.js';
import type { ProblemList } from './template-problem.js';
import { BUTTON_TYPES, OTP_TYPES, type ButtonType, type ButtonsComponent, type TemplateButton, type TemplateCategory } from './template-types.js';
import { EMOJI, URL_LIKE, booleanish, isRecord, jsonish, shown, upper } from './request-values.js';
import { findVariables } from './template-variables.js';

const CAPS: Partial<Record<ButtonType, number>> = {
  QUICK_REPLY: TemplateLimits.quickRepliesMax,
  URL: TemplateLimits.urlButtonsMax,
  PHONE_NUMBER: TemplateLimits.phoneButtonsMax,
  COPY_CODE: TemplateLimits.copyCodeButtonsMax,
  OTP: 1,
  FLOW: 1,
  CATALOG: 1,
  MPM: 1,
  VOICE_CALL: 1,
};

/** Buttons whose label Meta writes itself (so `text` is optional). */
const PRESET_LABEL = new Set<ButtonType>(['COPY_CODE', 'OTP', 'CATALOG', 'MPM']);

export function validateButtons(c: Record<string, unknown>, path: string, category: TemplateCategory, problems: ProblemList): ButtonsComponent | undefined {
  const raw = jsonish(c.buttons);
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.add(`${path}.buttons`, 'Invalid buttons', 'BUTTONS needs a non-empty buttons array.');
    return undefined;
  }
  if (raw.length > TemplateLimits.buttonsMax) {
    problems.add(`${path}.buttons`, 'Too many buttons', `A template has at most ${TemplateLimits.buttonsMax} buttons; this one has ${raw.length}.`);
  }
  const buttons: TemplateButton[] = [];
  const counts = new Map<ButtonType, number>();
  raw.forEach((item: unknown, i) => {
    const button = validateButton(jsonish(item), `${path}.buttons[${i}]`, category, problems);
    if (!button) return;
    buttons.push(button);
    counts.set(button.type, (counts.get(button.type) ?? 0) + 1);
  });
  for (const [type, count] of counts) {
    const cap = CAPS[type];
    if (cap !== undefined && count > cap) problems.add(`${path}.buttons`, 'Too many buttons', `A template has at most ${cap} ${type} button(s); this one has ${count}.`);
  }
  // Quick replies sit together, before or after the other buttons: QR, URL, QR is refused.
  let switches = 0;
  for (let i = 1; i < buttons.length; i++) {
    if ((buttons[i]?.type === 'QUICK_REPLY') !== (buttons[i - 1]?.type === 'QUICK_REPLY')) switches++;
  }
  if (switches > 1) problems.add(`${path}.buttons`, 'Invalid button order', 'Quick reply buttons must be grouped together, either before or after the other buttons.');
  if (category === 'AUTHENTICATION' && (buttons.length !== 1 || buttons[0]?.type !== 'OTP')) {
    problems.add(`${path}.buttons`, 'Invalid authentication template', 'Authentication templates have exactly one button, of type OTP.');
  }
  return { type: 'BUTTONS', buttons };
}

function validateButton(b: unknown, path: string, category: TemplateCategory, problems: ProblemList): TemplateButton | undefined {
  if (!isRecord(b)) {
    problems.add(path, 'Invalid button', 'Each button must be an object with a type.');
    return undefined;
  }
  const type = upper(b.type);
  if (!type || !(BUTTON_TYPES as readonly string[]).includes(type)) {
    problems.add(`${path}.type`, 'Invalid button', `Button type ${shown(b.type)} is not supported; use ${BUTTON_TYPES.join(', ')}.`);
    return undefined;
  }
  const button: TemplateButton = { ...b, type: type as ButtonType };

  const text = b.text;
  if (text === undefined && !PRESET_LABEL.has(button.type)) {
    problems.add(`${path}.text`, 'Missing button text', `${type} buttons need a text label.`);
  } else if (text !== undefined && (typeof text !== 'string' || text.trim() === '')) {
    problems.add(`${path}.text`, 'Invalid button text', 'Button text must be a non-empty string.');
  } else if (typeof text === 'string') {
    if (text.length > TemplateLimits.buttonLabelMaxLength) {
      problems.add(`${path}.text`, 'Button text too long', `Button labels are at most ${TemplateLimits.buttonLabelMaxLength} characters; "${text}" has ${text.length}.`, 2388040);
    }
    if (text.includes('{{')) problems.add(`${path}.text`, 'Invalid button text', "Button labels can't contain variables.");
  }

  if (category === 'AUTHENTICATION' && type !== 'OTP') {
    problems.add(`${path}.type`, 'Invalid authentication template', `Authentication templates can't have ${type} buttons.`);
    return button;
  }
  switch (button.type) {
    case 'URL':
      validateUrlButton(b, button, path, problems);
      break;
    case 'PHONE_NUMBER': {
      const phone = b.phone_number;
      if (typeof phone !== 'string' || !/^\+?[0-9][0-9 ()-]*$/.test(phone.trim())) {
        problems.add(`${path}.phone_number`, 'Invalid phone number', 'PHONE_NUMBER buttons need phone_number: digits with an optional leading +.');
      } else if (phone.length > TemplateLimits.phoneNumberMaxLength) {
        problems.add(`${path}.phone_number`, 'Phone number too long', `phone_number is at most ${TemplateLimits.phoneNumberMaxLength} characters.`);
      }
      break;
    }
    case 'COPY_CODE': {
      const example = Array.isArray(b.example) ? b.example[0] : b.example;
      if (typeof example !== 'string' || example.trim() === '') {
        problems.add(`${path}.example`, 'Missing sample values', 'COPY_CODE buttons need example: the sample code.');
      } else if (example.length > TemplateLimits.copyCodeExampleMaxLength) {
        problems.add(`${path}.example`, 'Sample too long', `The copy-code sample is at most ${TemplateLimits.copyCodeExampleMaxLength} characters.`);
      } else button.example = example;
      break;
    }
    case 'OTP':
      validateOtpButton(b, button, path, category, problems);
      break;
    case 'FLOW':
      if (b.flow_id === undefined && b.flow_name === undefined && b.flow_json === undefined) {
        problems.add(path, 'Invalid flow button', 'FLOW buttons need flow_id, flow_name or flow_json.');
      }
      if (b.flow_action !== undefined && !['navigate', 'data_exchange'].includes(typeof b.flow_action === 'string' ? b.flow_action.toLowerCase() : '')) {
        problems.add(`${path}.flow_action`, 'Invalid flow button', 'flow_action is navigate or data_exchange.');
      }
      break;
    default:
      break;
  }
  return button;
}

function validateUrlButton(b: Record<string, unknown>, button: TemplateButton, path: string, problems: ProblemList): void {
  const url = b.url;
  if (typeof url !== 'string' || !/^https?:\/\/\S+$/i.test(url)) {
    problems.add(`${path}.url`, 'Invalid URL', 'URL buttons need url: an http(s) address without spaces.');
    return;
  }
  if (url.length > TemplateLimits.urlMaxLength) problems.add(`${path}.url`, 'URL too long', `URLs are at most ${TemplateLimits.urlMaxLength} characters.`);
  const vars = findVariables(url);
  if (vars.length === 0) return;
  const last = vars[vars.length - 1];
  if (vars.length > 1 || last?.inner !== '1' || last.end !== url.length) {
    problems.add(`${path}.url`, 'Invalid URL variable', 'A URL button has at most one variable, {{1}}, at the end of the URL.');
    return;
  }
  const example = jsonish(b.example);
  const sample = Array.isArray(example) ? example[0] : example;
  if (typeof sample !== 'string' || sample.trim() === '') {
    problems.add(`${path}.example`, 'Missing sample values', 'A URL with a variable needs example: ["<sample URL or suffix>"].');
    return;
  }
  button.example = [sample];
}

function validateOtpButton(b: Record<string, unknown>, button: TemplateButton, path: string, category: TemplateCategory, problems: ProblemList): void {
  if (category !== 'AUTHENTICATION') {
    problems.add(`${path}.type`, 'Invalid button', 'OTP buttons are only for AUTHENTICATION templates.');
    return;
  }
  const otpType = upper(b.otp_type);
  if (!otpType || !(OTP_TYPES as readonly string[]).includes(otpType)) {
    problems.add(`${path}.otp_type`, 'Invalid OTP button', 'otp_type is COPY_CODE, ONE_TAP or ZERO_TAP.');
    return;
  }
  button.otp_type = otpType as TemplateButton['otp_type'];
  for (const field of ['text', 'autofill_text'] as const) {
    const value = b[field];
    if (typeof value === 'string' && (URL_LIKE.test(value) || EMOJI.test(value))) {
      problems.add(`${path}.${field}`, 'Invalid authentication template', "Authentication templates can't contain URLs or emoji.");
    }
  }
  if (otpType === 'COPY_CODE') return;
  const apps = jsonish(b.supported_apps);
  const appList = Array.isArray(apps) ? apps : [{ package_name: b.package_name, signature_hash: b.signature_hash }];
  const valid = appList.length > 0 && appList.every((a) => isRecord(a) && typeof a.package_name === 'string' && typeof a.signature_hash === 'string');
  if (!valid) problems.add(path, 'Invalid OTP button', `${otpType} buttons need package_name and signature_hash (or supported_apps).`);
  if (otpType === 'ZERO_TAP' && booleanish(b.zero_tap_terms_accepted) !== true) {
    problems.add(`${path}.zero_tap_terms_accepted`, 'Invalid OTP button', 'ZERO_TAP buttons need zero_tap_terms_accepted: true.');
  }
}
