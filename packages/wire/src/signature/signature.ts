/**
 * X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body, keyed with the app secret
 * (Meta → platform) or the tenant's webhook secret (platform → tenant).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { escapeUnicode } from './escape-unicode.js';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function equalSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a signature header against the raw body in constant time. When the bytes given are a
 * decoded form (non-ASCII characters present), the escaped form Meta signed is tried as well.
 */
export function verifySignature(rawBody: string | Buffer, header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const given = header.toLowerCase();
  if (equalSignature(signBody(rawBody, secret), given)) return true;
  const text = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  if (/[^\x00-\x7f]/.test(text)) return equalSignature(signBody(escapeUnicode(text), secret), given);
  return false;
}
