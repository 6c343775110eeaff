import { describe, expect, it } from 'vitest';
import { GraphError } from '../errors/graph-error.js';
import { checkTemplateParameters } from './check-template-send.js';
import { compileTemplateSpec, type SendableDefinition } from './template-send-spec.js';
import { checkTemplateSendable, parseTemplateReference } from './template-sendable.js';

const text = (t: string, extra: Record<string, unknown> = {}) => ({ type: 'text', text: t, ...extra });
const bodyParams = (...parameters: unknown[]) => ({ type: 'body', parameters });

const shipping: SendableDefinition = {
  category: 'UTILITY',
  parameter_format: 'POSITIONAL',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} ships on {{3}}.' },
    { type: 'FOOTER', text: 'Thanks for shopping' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Stop' },
        { type: 'URL', text: 'Track', url: 'https://example.com/t/{{1}}' },
        { type: 'COPY_CODE', example: 'SAVE10' },
      ],
    },
  ],
};
const spec = compileTemplateSpec(shipping);
const complete = () => [
  { type: 'header', parameters: [text('A-17')] },
  bodyParams(text('Ana'), { type: 'currency', currency: { fallback_value: '$10.99', code: 'USD', amount_1000: 10_990 } }, { type: 'date_time', date_time: { fallback_value: 'May 1' } }),
  { type: 'button', sub_type: 'url', index: '1', parameters: [text('A17')] },
  { type: 'button', sub_type: 'copy_code', index: 2, parameters: [{ type: 'coupon_code', coupon_code: 'SAVE10' }] },
];

function codeOf(fn: () => unknown): { code: number; details: string | undefined } {
  try {
    fn();
  } catch (err) {
    if (err instanceof GraphError) return { code: err.code, details: err.details };
    throw err;
  }
  throw new Error('expected a GraphError');
}

describe('send-time template check', () => {
  it('hydrates header, body, footer and buttons', () => {
    expect(checkTemplateParameters(spec, complete())).toEqual({
      header: { type: 'text', text: 'Order A-17' },
      body: 'Hi Ana, your order $10.99 ships on May 1.',
      footer: 'Thanks for shopping',
      buttons: [
        { index: 0, subType: 'quick_reply', text: 'Stop' },
        { index: 1, subType: 'url', text: 'Track', url: 'https://example.com/t/A17' },
        { index: 2, subType: 'copy_code', text: '', couponCode: 'SAVE10' },
      ],
    });
  });

  it('is 132000 when a component has one parameter too many or too few', () => {
    const fewer = complete();
    fewer[1] = bodyParams(text('Ana'), text('x'));
    expect(codeOf(() => checkTemplateParameters(spec, fewer))).toEqual({
      code: 132000,
      details: 'body: number of localizable_params (2) does not match the expected number of params (3)',
    });
    const more = complete();
    more[1] = bodyParams(text('Ana'), text('x'), text('y'), text('z'));
    expect(codeOf(() => checkTemplateParameters(spec, more)).code).toBe(132000);
    expect(codeOf(() => checkTemplateParameters(spec, complete().filter((c) => c.type !== 'header'))).code).toBe(132000);
    expect(codeOf(() => checkTemplateParameters(spec, complete().filter((c) => c.type !== 'button'))).details).toMatch(/^button at index 1 \(url\)/);
    expect(codeOf(() => checkTemplateParameters(spec, [...complete(), { type: 'button', sub_type: 'quick_reply', index: '5', parameters: [] }])).code).toBe(132000);
  });

  it('is 132012 for a wrong parameter type or button sub_type', () => {
    const wrong = complete();
    wrong[1] = bodyParams(text('Ana'), { type: 'image', image: { link: 'https://x.com/a.png' } }, text('May 1'));
    expect(codeOf(() => checkTemplateParameters(spec, wrong)).code).toBe(132012);
    const wrongButton = complete();
    wrongButton[2] = { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'p' }] };
    expect(codeOf(() => checkTemplateParameters(spec, wrongButton)).code).toBe(132012);
  });

  it('is 132005 when hydrated text is too long: header over 60, body over 1024 with other components', () => {
    const header = complete();
    header[0] = { type: 'header', parameters: [text('x'.repeat(55))] };
    expect(codeOf(() => checkTemplateParameters(spec, header)).code).toBe(132005);
    const okHeader = complete();
    okHeader[0] = { type: 'header', parameters: [text('x'.repeat(54))] };
    expect(checkTemplateParameters(spec, okHeader).header).toEqual({ type: 'text', text: `Order ${'x'.repeat(54)}` });

    const fixed = 'Hi {{1}}, your order {{2}} ships on {{3}}.'.length - 15;
    const body = (n: number) => {
      const c = complete();
      c[1] = bodyParams(text('x'.repeat(n)), text('a'), text('b'));
      return c;
    };
    expect(checkTemplateParameters(spec, body(1024 - fixed - 2)).body).toHaveLength(1024);
    expect(codeOf(() => checkTemplateParameters(spec, body(1024 - fixed - 1))).code).toBe(132005);

    const bodyOnly = compileTemplateSpec({ category: 'MARKETING', components: [{ type: 'BODY', text: 'Dear {{1}}, thank you for visiting us.' }] });
    expect(checkTemplateParameters(bodyOnly, [bodyParams(text('x'.repeat(5000)))]).body.length).toBeGreaterThan(5000);
    expect(codeOf(() => checkTemplateParameters(bodyOnly, [bodyParams(text('x'.repeat(32_768)))])).code).toBe(132005);
  });

  it('is 132007 for new lines, tabs or more than 4 consecutive spaces in a parameter', () => {
    for (const bad of ['a\nb', 'a\tb', 'a     b']) {
      const c = complete();
      c[1] = bodyParams(text(bad), text('x'), text('y'));
      expect(codeOf(() => checkTemplateParameters(spec, c)).code).toBe(132007);
    }
    const fine = complete();
    fine[1] = bodyParams(text('a    b'), text('x'), text('y'));
    expect(checkTemplateParameters(spec, fine).body).toContain('a    b');
  });

  it('reports missing and malformed values as 131008 and 131009', () => {
    const c = complete();
    c[1] = bodyParams({ type: 'text' }, text('x'), text('y'));
    expect(codeOf(() => checkTemplateParameters(spec, c)).code).toBe(131008);
    c[1] = bodyParams({ type: 'currency', currency: { fallback_value: '$1', code: 'usd', amount_1000: 1000 } }, text('x'), text('y'));
    expect(codeOf(() => checkTemplateParameters(spec, c)).code).toBe(131009);
    expect(codeOf(() => checkTemplateParameters(spec, 'nope')).code).toBe(131009);
  });

  it('matches named parameters by parameter_name', () => {
    const named = compileTemplateSpec({
      category: 'UTILITY',
      parameter_format: 'NAMED',
      components: [{ type: 'BODY', text: 'Hi {{first_name}}, order {{order_id}} is ready for pickup today.' }],
    });
    const hydrated = checkTemplateParameters(named, [bodyParams(text('A-1', { parameter_name: 'order_id' }), text('Ana', { parameter_name: 'first_name' }))]);
    expect(hydrated.body).toBe('Hi Ana, order A-1 is ready for pickup today.');
    expect(codeOf(() => checkTemplateParameters(named, [bodyParams(text('A-1'), text('Ana'))])).code).toBe(132012);
    expect(codeOf(() => checkTemplateParameters(named, [bodyParams(text('A-1', { parameter_name: 'order' }), text('Ana', { parameter_name: 'first_name' }))])).code).toBe(132012);
    expect(codeOf(() => checkTemplateParameters(named, [bodyParams(text('Ana', { parameter_name: 'first_name' }))])).code).toBe(132000);
  });

  it('checks media and location headers', () => {
    const image = compileTemplateSpec({ category: 'MARKETING', components: [{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY', text: 'Look at our new things.' }] });
    expect(checkTemplateParameters(image, [{ type: 'header', parameters: [{ type: 'image', image: { id: '123' } }] }]).header).toEqual({ type: 'image', media: { id: '123' } });
    expect(codeOf(() => checkTemplateParameters(image, [])).code).toBe(132000);
    expect(codeOf(() => checkTemplateParameters(image, [{ type: 'header', parameters: [{ type: 'document', document: { id: '1' } }] }])).code).toBe(132012);
    expect(codeOf(() => checkTemplateParameters(image, [{ type: 'header', parameters: [{ type: 'image', image: {} }] }])).code).toBe(131008);
    const location = compileTemplateSpec({ category: 'UTILITY', components: [{ type: 'HEADER', format: 'LOCATION' }, { type: 'BODY', text: 'Your parcel is here.' }] });
    expect(checkTemplateParameters(location, [{ type: 'header', parameters: [{ type: 'location', location: { latitude: 1.5, longitude: '2' } }] }]).header).toEqual({
      type: 'location',
      location: { latitude: 1.5, longitude: 2 },
    });
  });

  it("uses Meta's preset text for authentication templates and caps the code at 15 characters", () => {
    const auth = compileTemplateSpec({
      category: 'AUTHENTICATION',
      components: [{ type: 'BODY', add_security_recommendation: true }, { type: 'FOOTER', code_expiration_minutes: 5 }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] }],
    });
    const send = (code: string) => [bodyParams(text(code)), { type: 'button', sub_type: 'url', index: '0', parameters: [text(code)] }];
    expect(checkTemplateParameters(auth, send('123456'))).toMatchObject({
      body: '123456 is your verification code. For your security, do not share this code.',
      footer: 'This code expires in 5 minutes.',
    });
    expect(codeOf(() => checkTemplateParameters(auth, send('1'.repeat(16)))).code).toBe(132005);
    expect(codeOf(() => checkTemplateParameters(auth, [bodyParams(text('123456'))])).code).toBe(132000);
  });
});

describe('sendable status and template reference', () => {
  it('maps statuses to 132001, 132015 and 132016', () => {
    const t = (status: string) => () => checkTemplateSendable({ name: 'x', language: 'en_US', status });
    expect(t('APPROVED')()).toBeUndefined();
    expect(codeOf(t('PAUSED')).code).toBe(132015);
    expect(codeOf(t('DISABLED')).code).toBe(132016);
    expect(codeOf(t('PENDING'))).toEqual({ code: 132001, details: 'template name (x) does not exist in en_US' });
    expect(codeOf(t('REJECTED')).code).toBe(132001);
  });

  it('requires name and language.code', () => {
    expect(parseTemplateReference({ name: 'x', language: { code: 'en' } })).toEqual({ name: 'x', language: 'en', components: undefined });
    expect(codeOf(() => parseTemplateReference({ language: { code: 'en' } })).code).toBe(131008);
    expect(codeOf(() => parseTemplateReference({ name: 'x', language: 'en' })).code).toBe(131008);
  });
});
