import { describe, expect, it } from 'vitest';
import { GraphError } from '../errors/graph-error.js';
import { TemplateLimits } from './template-limits.js';
import { checkTemplateRequest, validateTemplateRequest } from './validate-template-request.js';

const body = (text: string, example?: unknown) => ({ type: 'BODY', text, ...(example ? { example } : {}) });
const base = (overrides: Record<string, unknown> = {}) => ({
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  components: [body('Hello there, your order has shipped today.')],
  ...overrides,
});
const withComponents = (...components: unknown[]) => base({ components });

/** The first problem of a request, or undefined when it is valid. */
function problem(input: unknown) {
  const result = checkTemplateRequest(input);
  return result.ok ? undefined : result.problems[0];
}

function error(input: unknown): GraphError {
  try {
    validateTemplateRequest(input);
  } catch (err) {
    if (err instanceof GraphError) return err;
    throw err;
  }
  throw new Error('expected the request to be refused');
}

describe('template request: name, language, category, format', () => {
  it('accepts a minimal request and normalises it', () => {
    const result = checkTemplateRequest(base({ category: 'utility', components: [{ type: 'body', text: 'Hello there, your order has shipped.' }] }));
    expect(result).toEqual({
      ok: true,
      template: {
        name: 'order_update',
        language: 'en_US',
        category: 'UTILITY',
        parameter_format: 'POSITIONAL',
        components: [{ type: 'BODY', text: 'Hello there, your order has shipped.' }],
      },
    });
  });

  it('takes names of [a-z0-9_] up to 512 characters', () => {
    expect(problem(base({ name: 'a'.repeat(512) }))).toBeUndefined();
    expect(problem(base({ name: 'a'.repeat(513) }))).toMatchObject({ path: 'name', subcode: 2388040 });
    for (const name of ['Order', 'order-update', 'order update', 'ordér']) expect(problem(base({ name }))?.path).toBe('name');
    expect(problem(base({ name: undefined }))).toMatchObject({ path: 'name', message: 'The parameter name is required.' });
  });

  it('takes known language codes only', () => {
    for (const language of ['en', 'en_US', 'pt_BR', 'zh_HK', 'es_MX']) expect(problem(base({ language }))).toBeUndefined();
    for (const language of ['en-US', 'english', 'xx_YY', '']) expect(problem(base({ language }))?.path).toBe('language');
  });

  it('takes the three categories and the two parameter formats', () => {
    expect(problem(base({ category: 'TRANSACTIONAL' }))?.path).toBe('category');
    expect(problem(base({ category: undefined }))?.path).toBe('category');
    expect(problem(base({ parameter_format: 'NUMBERED' }))?.path).toBe('parameter_format');
    expect(problem(base({ parameter_format: 'NAMED' }))).toBeUndefined();
  });

  it("renders problems as Meta's error with user title and message", () => {
    const err = error(base({ name: 'Bad Name' }));
    expect(err.toBody().error).toMatchObject({
      code: 100,
      error_user_title: 'Invalid template name',
      error_user_msg: 'Template names may only contain lowercase letters, digits and underscores.',
      error_data: { details: 'name: Template names may only contain lowercase letters, digits and underscores.' },
    });
  });

  it('accepts components as JSON text (form posts) and checks the TTL range per category', () => {
    expect(problem(base({ components: JSON.stringify([body('Hello there, your order has shipped.')]) }))).toBeUndefined();
    expect(problem(base({ message_send_ttl_seconds: 43_200 }))).toBeUndefined();
    expect(problem(base({ message_send_ttl_seconds: 43_201 }))?.path).toBe('message_send_ttl_seconds');
    expect(problem(base({ message_send_ttl_seconds: 29 }))?.path).toBe('message_send_ttl_seconds');
  });
});

describe('template request: body', () => {
  it('requires exactly one body of at most 1024 characters', () => {
    expect(problem(withComponents({ type: 'FOOTER', text: 'Thanks' }))).toMatchObject({ title: 'Missing body' });
    expect(problem(withComponents(body('x'.repeat(1024))))).toBeUndefined();
    expect(problem(withComponents(body('x'.repeat(1025))))).toMatchObject({ subcode: 2388040 });
    expect(problem(withComponents(body('One body here.'), body('Another body here.')))).toMatchObject({ title: 'Duplicate component' });
    expect(problem(withComponents({ type: 'CAROUSEL', cards: [] }))?.title).toBe('Unsupported component');
  });

  it('describes a type of any kind in its problem, even one String() cannot convert (found by fuzzing)', () => {
    const unprintable = Object.create(null) as object;
    expect(problem(withComponents({ type: unprintable }))).toMatchObject({ title: 'Unsupported component', message: expect.stringContaining('[object Object]') });
    const buttons = withComponents(body('Hello there, your order has shipped today.'), { type: 'BUTTONS', buttons: [{ type: unprintable, text: 'Yes' }] });
    expect(problem(buttons)).toMatchObject({ title: 'Invalid button', message: expect.stringContaining('[object Object]') });
  });

  it('wants positional variables {{1}}..{{n}} without gaps, with samples', () => {
    const ok = body('Hi {{1}}, your order {{2}} has shipped today.', { body_text: [['Ana', 'A-17']] });
    expect(problem(withComponents(ok))).toBeUndefined();
    // Order of appearance is free; numbering must be complete.
    expect(problem(withComponents(body('Hi {{2}}, your order {{1}} has shipped today.', { body_text: [['A-17', 'Ana']] })))).toBeUndefined();
    expect(problem(withComponents(body('Hi {{1}}, your order {{3}} has shipped today.', { body_text: [['Ana', 'A-17']] })))).toMatchObject({ subcode: 2388072 });
    expect(problem(withComponents(body('Hi {{ 1 }}, your order has shipped today.', { body_text: [['Ana']] })))).toMatchObject({ subcode: 2388072 });
    expect(problem(withComponents(body('Hi {{name}}, your order has shipped today.', { body_text: [['Ana']] })))).toMatchObject({ subcode: 2388072 });
    expect(problem(withComponents(body('Hi {{1}, your order has shipped today.')))).toMatchObject({ subcode: 2388072 });
  });

  it('requires one sample per variable', () => {
    expect(problem(withComponents(body('Hi {{1}}, your order {{2}} has shipped today.'))))
      .toMatchObject({ title: 'Missing sample values', path: 'components[0].example.body_text' });
    expect(problem(withComponents(body('Hi {{1}}, your order {{2}} has shipped today.', { body_text: [['Ana']] })))).toMatchObject({ title: 'Missing sample values' });
    expect(problem(withComponents(body('Hi {{1}}, your order {{2}} has shipped today.', { body_text: [['Ana', '']] })))).toMatchObject({ title: 'Missing sample values' });
  });

  it('refuses variables at the start or end of the body (2388299)', () => {
    expect(problem(withComponents(body('{{1}} is waiting for you at the front desk.', { body_text: [['Ana']] })))).toMatchObject({ subcode: 2388299 });
    expect(problem(withComponents(body('Your order is waiting for you, {{1}}.', { body_text: [['Ana']] })))).toMatchObject({ subcode: 2388299 });
    expect(problem(withComponents(body('Your order, {{1}}, is waiting for you.', { body_text: [['Ana']] })))).toBeUndefined();
  });

  it('refuses too many variables for the text (2388293): x variables need 2x + 1 words', () => {
    expect(problem(withComponents(body('Hi {{1}} and {{2}} see you.', { body_text: [['a', 'b']] })))).toMatchObject({ subcode: 2388293 });
    expect(problem(withComponents(body('Hi {{1}} and {{2}} see you soon.', { body_text: [['a', 'b']] })))).toBeUndefined();
  });

  it('takes named variables with named samples', () => {
    const named = (text: string, params: unknown) => base({ parameter_format: 'NAMED', components: [body(text, { body_text_named_params: params })] });
    const text = 'Hi {{first_name}}, your order {{order_id}} has shipped today.';
    expect(problem(named(text, [{ param_name: 'first_name', example: 'Ana' }, { param_name: 'order_id', example: 'A-17' }]))).toBeUndefined();
    expect(problem(named(text, [{ param_name: 'first_name', example: 'Ana' }]))?.message).toMatch(/missing: order_id/);
    expect(problem(named(text, [{ param_name: 'first_name', example: 'Ana' }, { param_name: 'first_name', example: 'Bo' }]))?.title).toBe('Invalid sample values');
    expect(problem(named('Hi {{FirstName}}, your order has shipped today.', [{ param_name: 'FirstName', example: 'Ana' }]))).toMatchObject({ subcode: 2388072 });
    expect(problem(named('Hi {{1}}, your order has shipped today.', [{ param_name: '1', example: 'Ana' }]))).toMatchObject({ subcode: 2388072 });
  });
});

describe('template request: header and footer', () => {
  const b = body('Hello there, your order has shipped today.');
  it('takes text headers up to 60 characters with at most one sampled variable', () => {
    expect(problem(withComponents({ type: 'HEADER', format: 'TEXT', text: 'x'.repeat(60) }, b))).toBeUndefined();
    expect(problem(withComponents({ type: 'HEADER', format: 'TEXT', text: 'x'.repeat(61) }, b))).toMatchObject({ subcode: 2388040 });
    expect(problem(withComponents({ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['A-17'] } }, b))).toBeUndefined();
    expect(problem(withComponents({ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' }, b))).toMatchObject({ title: 'Missing sample values' });
    expect(problem(withComponents({ type: 'HEADER', format: 'TEXT', text: '{{1}} and {{2}}', example: { header_text: ['a', 'b'] } }, b))).toMatchObject({ subcode: 2388047 });
    expect(problem(withComponents({ type: 'HEADER', format: 'TEXT', text: 'Two\nlines' }, b))).toMatchObject({ subcode: 2388047 });
  });

  it('requires example.header_handle for media headers, nothing for location', () => {
    for (const format of ['IMAGE', 'VIDEO', 'DOCUMENT']) {
      expect(problem(withComponents({ type: 'HEADER', format }, b))).toMatchObject({ path: 'components[0].example.header_handle' });
      expect(problem(withComponents({ type: 'HEADER', format, example: { header_handle: ['4::aW1hZ2U='] } }, b))).toBeUndefined();
    }
    expect(problem(withComponents({ type: 'HEADER', format: 'LOCATION' }, b))).toBeUndefined();
    expect(problem(withComponents({ type: 'HEADER', format: 'AUDIO' }, b))).toMatchObject({ subcode: 2388047 });
  });

  it('takes footers up to 60 characters without variables', () => {
    expect(problem(withComponents(b, { type: 'FOOTER', text: 'x'.repeat(60) }))).toBeUndefined();
    expect(problem(withComponents(b, { type: 'FOOTER', text: 'x'.repeat(61) }))).toMatchObject({ subcode: 2388040 });
    expect(problem(withComponents(b, { type: 'FOOTER', text: 'Ref {{1}}' }))).toMatchObject({ subcode: 2388073 });
  });
});

describe('template request: buttons', () => {
  const b = body('Hello there, your order has shipped today.');
  const qr = (text = 'Yes') => ({ type: 'QUICK_REPLY', text });
  const url = (u = 'https://example.com/track', extra: Record<string, unknown> = {}) => ({ type: 'URL', text: 'Track', url: u, ...extra });
  const buttons = (...list: unknown[]) => withComponents(b, { type: 'BUTTONS', buttons: list });

  it('allows 10 buttons in total and 10 quick replies', () => {
    expect(problem(buttons(...Array.from({ length: 10 }, (_, i) => qr(`Option ${i}`))))).toBeUndefined();
    expect(problem(buttons(...Array.from({ length: 11 }, (_, i) => qr(`Option ${i}`))))).toMatchObject({ title: 'Too many buttons' });
  });

  it('caps URL buttons at 2, phone and copy-code buttons at 1', () => {
    expect(problem(buttons(url(), url()))).toBeUndefined();
    expect(problem(buttons(url(), url(), url()))?.message).toMatch(/at most 2 URL/);
    const phone = { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+15550001111' };
    expect(problem(buttons(phone))).toBeUndefined();
    expect(problem(buttons(phone, phone))?.message).toMatch(/at most 1 PHONE_NUMBER/);
    const copy = { type: 'COPY_CODE', example: 'SAVE10' };
    expect(problem(buttons(copy))).toBeUndefined();
    expect(problem(buttons(copy, copy))?.message).toMatch(/at most 1 COPY_CODE/);
    expect(problem(buttons({ type: 'COPY_CODE', example: 'x'.repeat(16) }))?.title).toBe('Sample too long');
  });

  it('takes labels up to 25 characters and phone numbers up to 20', () => {
    expect(problem(buttons(qr('x'.repeat(25))))).toBeUndefined();
    expect(problem(buttons(qr('x'.repeat(26))))).toMatchObject({ title: 'Button text too long' });
    expect(problem(buttons({ type: 'PHONE_NUMBER', text: 'Call', phone_number: '1'.repeat(20) }))).toBeUndefined();
    expect(problem(buttons({ type: 'PHONE_NUMBER', text: 'Call', phone_number: '1'.repeat(21) }))).toMatchObject({ title: 'Phone number too long' });
  });

  it('wants URL variables as one {{1}} at the end, with a sample', () => {
    expect(problem(buttons(url('https://example.com/t/{{1}}', { example: ['https://example.com/t/A17'] })))).toBeUndefined();
    expect(problem(buttons(url('https://example.com/t/{{1}}')))).toMatchObject({ title: 'Missing sample values' });
    expect(problem(buttons(url('https://example.com/{{1}}/track', { example: ['x'] })))).toMatchObject({ title: 'Invalid URL variable' });
    expect(problem(buttons(url('https://example.com/{{1}}{{2}}', { example: ['x'] })))).toMatchObject({ title: 'Invalid URL variable' });
    expect(problem(buttons(url('ftp://example.com')))).toMatchObject({ title: 'Invalid URL' });
    expect(problem(buttons(url(`https://example.com/${'x'.repeat(TemplateLimits.urlMaxLength)}`)))).toMatchObject({ title: 'URL too long' });
  });

  it('wants quick replies grouped: QR, URL, QR is refused', () => {
    expect(problem(buttons(qr('A'), qr('B'), url()))).toBeUndefined();
    expect(problem(buttons(url(), qr('A'), qr('B')))).toBeUndefined();
    expect(problem(buttons(qr('A'), url(), qr('B')))).toMatchObject({ title: 'Invalid button order' });
  });

  it('keeps OTP buttons for authentication templates', () => {
    expect(problem(buttons({ type: 'OTP', otp_type: 'COPY_CODE' }))).toMatchObject({ message: 'OTP buttons are only for AUTHENTICATION templates.' });
  });
});

describe('template request: authentication', () => {
  const auth = (...components: unknown[]) => base({ category: 'AUTHENTICATION', components });
  const otp = (extra: Record<string, unknown> = {}) => ({ type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code', ...extra }] });

  it("accepts Meta's preset form", () => {
    expect(problem(auth({ type: 'BODY', add_security_recommendation: true }, { type: 'FOOTER', code_expiration_minutes: 10 }, otp()))).toBeUndefined();
    expect(problem(auth({ type: 'BODY' }, { type: 'FOOTER', code_expiration_minutes: 91 }, otp()))?.path).toBe('components[1].code_expiration_minutes');
  });

  it('refuses headers (media or text), URLs, emoji, other buttons and a missing OTP button', () => {
    expect(problem(auth({ type: 'HEADER', format: 'IMAGE', example: { header_handle: ['h'] } }, { type: 'BODY' }, otp()))?.title).toBe('Invalid authentication template');
    expect(problem(auth({ type: 'BODY', text: 'Use {{1}} at https://x.com now', example: { body_text: [['123']] } }, otp()))?.message).toMatch(/URLs/);
    expect(problem(auth({ type: 'BODY', text: 'Your code is {{1}} 🔒 keep it', example: { body_text: [['123']] } }, otp()))?.message).toMatch(/emoji/);
    expect(problem(auth({ type: 'BODY' }, { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Go', url: 'https://x.com' }] }))?.title).toBe('Invalid authentication template');
    expect(problem(auth({ type: 'BODY' }))?.title).toBe('Missing OTP button');
    expect(problem(auth({ type: 'BODY' }, otp({ otp_type: 'ONE_TAP' })))?.title).toBe('Invalid OTP button');
    expect(problem(auth({ type: 'BODY' }, otp({ otp_type: 'ONE_TAP', package_name: 'com.x', signature_hash: 'abc' })))).toBeUndefined();
  });
});
