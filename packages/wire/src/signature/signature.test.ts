import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeUnicode, serializeWebhookBody } from './escape-unicode.js';
import { signBody, verifySignature } from './signature.js';

const secret = 'app-secret';

describe('webhook signatures', () => {
  it('signs the raw body with HMAC-SHA256 and a sha256= prefix', () => {
    const body = '{"object":"whatsapp_business_account","entry":[]}';
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    expect(signBody(body, secret)).toBe(`sha256=${expected}`);
    expect(verifySignature(body, `sha256=${expected}`, secret)).toBe(true);
    expect(verifySignature(Buffer.from(body), `sha256=${expected.toUpperCase()}`, secret)).toBe(true);
  });

  it('refuses missing, malformed and forged signatures', () => {
    const body = '{"a":1}';
    expect(verifySignature(body, undefined, secret)).toBe(false);
    expect(verifySignature(body, 'sha1=abc', secret)).toBe(false);
    expect(verifySignature(body, 'sha256=', secret)).toBe(false);
    expect(verifySignature(body, signBody(body, 'other-secret'), secret)).toBe(false);
    expect(verifySignature('{"a":2}', signBody(body, secret), secret)).toBe(false);
  });

  it("escapes non-ASCII characters as Meta does, lowercase hex UTF-16 units", () => {
    expect(escapeUnicode('配信停止')).toBe('\\u914d\\u4fe1\\u505c\\u6b62');
    expect(escapeUnicode('café 😀')).toBe('caf\\u00e9 \\ud83d\\ude00');
    const wire = serializeWebhookBody({ text: { body: 'Olá 😀 停止' } });
    expect(wire).toMatch(/^[\x00-\x7f]*$/);
    expect(JSON.parse(wire)).toEqual({ text: { body: 'Olá 😀 停止' } });
  });

  it('verifies a non-ASCII body whether the receiver kept the escaped bytes or decoded them', () => {
    const payload = { text: { body: 'STOP 配信停止 😀' } };
    const wire = serializeWebhookBody(payload);
    const header = signBody(wire, secret);
    expect(verifySignature(wire, header, secret)).toBe(true);
    const decoded = JSON.stringify(payload);
    expect(decoded).not.toBe(wire);
    expect(verifySignature(decoded, header, secret)).toBe(true);
    expect(verifySignature(decoded.replace('STOP', 'GO'), header, secret)).toBe(false);
  });
});
