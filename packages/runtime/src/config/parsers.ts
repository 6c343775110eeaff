/** Parsers for environment variables; each throws an Error saying what a valid value looks like. */

export function port(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new Error('expected a TCP port number (0-65535)');
  const n = Number(raw);
  if (n > 65_535) throw new Error('expected a TCP port number (0-65535)');
  return n;
}

export function positiveInt(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error('expected a positive integer');
  return Number(raw);
}

export function boolean(raw: string): boolean {
  const v = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error('expected true or false');
}

export function string(raw: string): string {
  return raw;
}

export function oneOf<const T extends string>(...values: T[]): (raw: string) => T {
  return (raw) => {
    if ((values as string[]).includes(raw)) return raw as T;
    throw new Error(`expected one of ${values.join(', ')}`);
  };
}

export function postgresUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('expected a URL like postgres://user:password@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error('expected a postgres:// or postgresql:// URL');
  }
  if (!url.hostname) throw new Error('the URL names no host');
  if (url.pathname.length <= 1) throw new Error('the URL names no database');
  return raw;
}

export function httpUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('expected an http(s):// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('expected an http(s):// URL');
  return raw.replace(/\/+$/, '');
}

/** A 32-byte key given as 64 hex characters or base64. */
export function key32(raw: string): Buffer {
  const buf = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (buf.length !== 32) throw new Error('expected 32 bytes as 64 hex characters or base64');
  return buf;
}

export function logLevel(raw: string): string {
  return oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent')(raw);
}
