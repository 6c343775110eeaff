/** Small readers for request values that may arrive as JSON or as form strings. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Graph API form posts carry arrays and objects as JSON text; accept both forms. */
export function jsonish(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

/**
 * A request value as text for an error message, whatever it is: String() throws for an object
 * without a prototype or with a throwing toString, and an error message must not.
 */
export function shown(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export function upper(value: unknown): string | undefined {
  return typeof value === 'string' ? value.trim().toUpperCase() : undefined;
}

/** A boolean, also from "true"/"false" form values; undefined when absent or not boolean-like. */
export function booleanish(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** An integer, also from a decimal string; undefined when absent or not an integer. */
export function integerish(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

export const EMOJI = /\p{Extended_Pictographic}/u;
export const URL_LIKE = /https?:\/\/|www\./i;
