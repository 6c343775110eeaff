/**
 * Reads a user's settings from the control API (PUT replaces, PATCH merges): every key checked,
 * unknown keys refused, so a typo in a test does not silently leave a default in place.
 */
import { invalidParameter } from '@switchboard/wire';
import type { ScriptedReply, SimUserSettings } from './sim-user.js';

type Check = (value: unknown, key: string) => unknown;

const bool: Check = (v, key) => {
  if (typeof v !== 'boolean') throw invalidParameter(`${key} must be true or false.`);
  return v;
};
const delay: Check = (v, key) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 365 * 24 * 3_600_000) throw invalidParameter(`${key} must be a number of milliseconds ≥ 0.`);
  return v;
};
const ids: Check = (v, key) => {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalidParameter(`${key} must be an array of phone-number ids.`);
  return [...v] as string[];
};

const CHECKS: Record<keyof SimUserSettings, Check> = {
  onWhatsApp: bool,
  online: bool,
  playsVoice: bool,
  sentDelayMs: delay,
  deliveryDelayMs: delay,
  readDelayMs: delay,
  readProbability: (v, key) => {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw invalidParameter(`${key} must be a number from 0 to 1.`);
    return v;
  },
  blocked: ids,
  stoppedMarketing: ids,
  marketingCap: (v, key) => {
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalidParameter(`${key} must be null or an integer ≥ 0.`);
    return v;
  },
  autoReply: (v, key) => {
    if (v === false || v === null) return false;
    if (v === true) return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${key} must be false, true or {text?, delayMs?}.`);
    const { text, delayMs } = v as Record<string, unknown>;
    if (text !== undefined && typeof text !== 'string') throw invalidParameter(`${key}.text must be a string.`);
    return { ...(text !== undefined ? { text } : {}), ...(delayMs !== undefined ? { delayMs: delay(delayMs, `${key}.delayMs`) as number } : {}) };
  },
  scriptedReplies: (v, key) => {
    if (!Array.isArray(v)) throw invalidParameter(`${key} must be an array of {match?, reply, delayMs?, once?}.`);
    return v.map((rule: unknown, i): ScriptedReply => {
      const at = `${key}[${i}]`;
      if (typeof rule !== 'object' || rule === null) throw invalidParameter(`${at} must be an object.`);
      const { match, reply, delayMs, once } = rule as Record<string, unknown>;
      if (match !== undefined && typeof match !== 'string') throw invalidParameter(`${at}.match must be a string.`);
      if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) throw invalidParameter(`${at}.reply must be an inbound message object.`);
      return {
        reply: reply as ScriptedReply['reply'],
        ...(match !== undefined ? { match } : {}),
        ...(delayMs !== undefined ? { delayMs: delay(delayMs, `${at}.delayMs`) as number } : {}),
        ...(once !== undefined ? { once: bool(once, `${at}.once`) as boolean } : {}),
      };
    });
  },
  profileName: (v, key) => {
    if (typeof v !== 'string' || v.length === 0 || v.length > 256) throw invalidParameter(`${key} must be a non-empty string.`);
    return v;
  },
};

/** `base` with the given keys replaced, each checked. */
export function parseSettings(input: unknown, base: Readonly<SimUserSettings>): SimUserSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidParameter('Send the settings as a JSON object.');
  const next = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(input)) {
    const check = CHECKS[key as keyof SimUserSettings] as Check | undefined;
    if (!check) throw invalidParameter(`Unknown user setting ${key}; known: ${Object.keys(CHECKS).join(', ')}.`);
    next[key] = check(value, key);
  }
  return next as unknown as SimUserSettings;
}
