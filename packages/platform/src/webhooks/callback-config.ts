/**
 * A callback URL and verify token as a caller gives them, checked before anything is stored:
 * absent (keep what is there), "" (clear), or a http(s) URL of at most `maxLength` characters
 * with a verify token, which the URL must then answer in the handshake.
 */
import { invalidParameter } from '@switchboard/wire';

/** Meta's limit for override_callback_uri (reference §4). */
export const OVERRIDE_URL_MAX = 200;
/** The tenant default is not an override; give it room for long paths and query strings. */
export const DEFAULT_URL_MAX = 2_000;
const VERIFY_TOKEN_MAX = 200;

export type CallbackChange = { kind: 'keep' } | { kind: 'clear' } | { kind: 'set'; url: string; verifyToken: string };

export interface CallbackNames {
  url: string;
  verifyToken: string;
  maxLength: number;
}

export function parseCallback(url: string | undefined, verifyToken: string | undefined, names: CallbackNames): CallbackChange {
  if (url === undefined) {
    if (verifyToken !== undefined) throw invalidParameter(`Param ${names.verifyToken} is only used with ${names.url}.`);
    return { kind: 'keep' };
  }
  if (url === '') return { kind: 'clear' };
  if (url.length > names.maxLength) throw invalidParameter(`Param ${names.url} must be at most ${names.maxLength} characters.`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParameter(`Param ${names.url} must be an absolute http(s) URL.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalidParameter(`Param ${names.url} must be an absolute http(s) URL.`);
  if (verifyToken === undefined || verifyToken === '') throw invalidParameter(`Param ${names.verifyToken} is required with ${names.url}.`);
  if (verifyToken.length > VERIFY_TOKEN_MAX) throw invalidParameter(`Param ${names.verifyToken} must be at most ${VERIFY_TOKEN_MAX} characters.`);
  return { kind: 'set', url, verifyToken };
}
