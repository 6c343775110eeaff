/**
 * What a send must supply for a stored template: the variables of its header and body, and which
 * buttons take parameters. Compiled once per template definition (the send path reuses it) and
 * tolerant of any stored shape, so a malformed definition can never crash a send.
 */
import type { ParameterFormat } from './template-types.js';
import { isRecord, upper } from './request-values.js';
import { scanVariables } from './template-variables.js';

export type HeaderSpec =
  | { kind: 'none' }
  | { kind: 'text'; text: string; names: string[] }
  | { kind: 'media'; format: 'image' | 'video' | 'document' | 'gif' }
  | { kind: 'location' };

export interface ButtonSpec {
  index: number;
  /** The send-side sub_type: quick_reply, url, copy_code, flow, catalog, mpm, phone_number, voice_call. */
  subType: string;
  text: string;
  /** URL buttons: the URL, with {{1}} where the parameter goes. */
  url?: string;
  /** How many parameters a send gives for this button, and whether the component is required. */
  params: { min: number; max: number };
}

export interface TemplateSendSpec {
  /** MARKETING, UTILITY or AUTHENTICATION, as stored. */
  category: string;
  format: ParameterFormat;
  header: HeaderSpec;
  body: { text: string; names: string[] };
  footer?: string;
  buttons: ButtonSpec[];
  /** The body is the only component, which lifts the body limit to 32,768 characters. */
  bodyOnly: boolean;
  authentication: boolean;
}

/** The stored fields the send check reads. */
export interface SendableDefinition {
  category: string;
  parameter_format?: string;
  components: readonly unknown[];
}

const SUB_TYPE: Record<string, string> = {
  QUICK_REPLY: 'quick_reply',
  URL: 'url',
  PHONE_NUMBER: 'phone_number',
  COPY_CODE: 'copy_code',
  // Meta delivers OTP buttons as URL buttons; a send passes the code as a url parameter.
  OTP: 'url',
  FLOW: 'flow',
  CATALOG: 'catalog',
  MPM: 'mpm',
  VOICE_CALL: 'voice_call',
};

export function compileTemplateSpec(definition: SendableDefinition): TemplateSendSpec {
  const format: ParameterFormat = upper(definition.parameter_format) === 'NAMED' ? 'NAMED' : 'POSITIONAL';
  const authentication = upper(definition.category) === 'AUTHENTICATION';
  const components = Array.isArray(definition.components) ? definition.components.filter(isRecord) : [];
  const byType = (t: string) => components.find((c) => upper(c.type) === t);

  const spec: TemplateSendSpec = {
    category: upper(definition.category) ?? '',
    format,
    header: { kind: 'none' },
    body: { text: '', names: [] },
    buttons: [],
    bodyOnly: components.length === 1 && byType('BODY') !== undefined,
    authentication,
  };

  const header = byType('HEADER');
  const headerFormat = upper(header?.format);
  if (header && headerFormat === 'TEXT' && typeof header.text === 'string') {
    spec.header = { kind: 'text', text: header.text, names: scanVariables(header.text, format).names };
  } else if (headerFormat === 'IMAGE' || headerFormat === 'VIDEO' || headerFormat === 'DOCUMENT' || headerFormat === 'GIF') {
    spec.header = { kind: 'media', format: headerFormat.toLowerCase() as 'image' };
  } else if (headerFormat === 'LOCATION') {
    spec.header = { kind: 'location' };
  }

  const body = byType('BODY');
  if (authentication && typeof body?.text !== 'string') {
    // Meta's preset authentication text: the code is the one (positional) parameter.
    const text = `{{1}} is your verification code.${body?.add_security_recommendation === true ? ' For your security, do not share this code.' : ''}`;
    spec.body = { text, names: ['1'] };
  } else if (typeof body?.text === 'string') {
    spec.body = { text: body.text, names: scanVariables(body.text, authentication ? 'POSITIONAL' : format).names };
  }

  const footer = byType('FOOTER');
  if (typeof footer?.text === 'string') spec.footer = footer.text;
  else if (authentication && typeof footer?.code_expiration_minutes === 'number') spec.footer = `This code expires in ${footer.code_expiration_minutes} minutes.`;

  const buttons = byType('BUTTONS')?.buttons;
  if (Array.isArray(buttons)) {
    buttons.forEach((b: unknown, index) => {
      if (!isRecord(b)) return;
      const type = upper(b.type) ?? '';
      const subType = SUB_TYPE[type] ?? type.toLowerCase();
      const text = typeof b.text === 'string' ? b.text : '';
      const button: ButtonSpec = { index, subType, text, params: { min: 0, max: 0 } };
      if (type === 'URL' && typeof b.url === 'string') {
        button.url = b.url;
        if (b.url.includes('{{1}}')) button.params = { min: 1, max: 1 };
      } else if (type === 'OTP' || type === 'COPY_CODE' || type === 'MPM') {
        button.params = { min: 1, max: 1 };
      } else if (type === 'QUICK_REPLY' || type === 'FLOW' || type === 'CATALOG') {
        button.params = { min: 0, max: 1 };
      }
      spec.buttons.push(button);
    });
  }
  return spec;
}
