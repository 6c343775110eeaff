/**
 * Text PostgreSQL can store. JSON can carry two things no PostgreSQL text or jsonb value holds: the
 * character U+0000 and unpaired UTF-16 surrogates, both written as escapes ("\u0000", "\ud800").
 * jsonb refuses them (SQLSTATE 22P05 and 22P02) and fails the statement — a 5xx, and for a group
 * commit every send sharing it — while a text column silently gets U+FFFD for a lone surrogate
 * (strings are sent as UTF-8). So the platform refuses them in tenants' requests and replaces them
 * in Meta's webhooks (Meta would retry a refused one forever).
 *
 * Neither can appear in JSON text without an escape: a raw U+0000 is not valid JSON, and bytes that
 * are not UTF-8 decode to U+FFFD. So a body with no "\u" in it needs no look at all.
 */

// U+0000, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

export const UNSTORABLE_TEXT_DETAILS = 'Parameters must not contain the character U+0000 or unpaired surrogates (U+D800 to U+DFFF).';

/**
 * Whether a parsed JSON value holds a string or key PostgreSQL cannot store.
 * @param raw the JSON text the value was parsed from, if at hand: without an escape in it there is
 *   nothing to find, and the value is not walked.
 */
export function hasUnstorableText(value: unknown, raw?: Buffer | string): boolean {
  if (raw !== undefined && !raw.includes('\\u')) return false;
  // Iterative, without copying, stopping at the first find.
  const work: unknown[] = [value];
  while (work.length > 0) {
    const v = work.pop();
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) return true;
    } else if (Array.isArray(v)) {
      for (const child of v) work.push(child);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (UNSTORABLE.test(k)) return true;
        work.push(child);
      }
    }
  }
  return false;
}

/** A copy of a parsed JSON value with every U+0000 and unpaired surrogate replaced by U+FFFD. */
export function toStorableText(value: unknown): unknown {
  return walkStrings(value, (s) => (UNSTORABLE.test(s) ? s.replace(UNSTORABLE_ALL, '\uFFFD') : s));
}

/**
 * Maps every string and key of a JSON value (objects, arrays, strings, numbers, booleans, null),
 * returning a copy. Iterative: parsed JSON can nest deeper than the call stack goes.
 */
function walkStrings(value: unknown, map: (s: string) => string): unknown {
  const root: { v: unknown } = { v: value };
  const work: Array<[container: Record<string, unknown> | unknown[], key: string | number, value: unknown]> = [[root, 'v', value]];
  while (work.length > 0) {
    const [container, key, v] = work.pop()!;
    let out: unknown = v;
    if (typeof v === 'string') out = map(v);
    else if (Array.isArray(v)) {
      const copy: unknown[] = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) work.push([copy, i, v[i]]);
      out = copy;
    } else if (v !== null && typeof v === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(v)) {
        const mapped = map(k);
        // Defined as own data properties: a key "__proto__" stays a key, as JSON.parse makes it.
        Object.defineProperty(copy, mapped, { value: undefined, writable: true, enumerable: true, configurable: true });
        work.push([copy, mapped, child]);
      }
      out = copy;
    }
    (container as Record<string | number, unknown>)[key] = out;
  }
  return root.v;
}
