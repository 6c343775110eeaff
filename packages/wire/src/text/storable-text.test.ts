import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasUnstorableText, toStorableText } from './storable-text.js';

// Strings of any UTF-16 code units: U+0000 and lone surrogates included.
const anyText = fc.string({ unit: 'binary' });
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    anyText,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value')),
    fc.dictionary(anyText, tie('value')),
  ),
})).value.map((v) => JSON.parse(JSON.stringify(v)) as unknown); // as a request body parses: plain objects, "__proto__" an own key

describe('storable text', () => {
  it('finds U+0000 and unpaired surrogates in strings and keys, and nothing else', () => {
    expect(hasUnstorableText({ a: ['x', { b: 'a\u0000b' }] })).toBe(true);
    expect(hasUnstorableText({ ['k\ud800']: 1 })).toBe(true);
    expect(hasUnstorableText(['\udc00x'])).toBe(true);
    expect(hasUnstorableText(['x\ud83d'])).toBe(true);
    expect(hasUnstorableText({ emoji: '\ud83d\ude00', text: 'héllo', n: 1, t: true, z: null })).toBe(false);
  });

  it('needs no walk when the JSON text has no escape, and agrees with the walk when it has', () => {
    fc.assert(
      fc.property(json, (value) => {
        const raw = JSON.stringify(value);
        expect(hasUnstorableText(value, raw)).toBe(hasUnstorableText(value));
        expect(hasUnstorableText(value, Buffer.from(raw))).toBe(hasUnstorableText(value));
      }),
    );
  });

  it('replaces exactly what cannot be stored, keeping everything else as it was', () => {
    fc.assert(
      fc.property(json, (value) => {
        const clean = toStorableText(value);
        expect(hasUnstorableText(clean)).toBe(false);
        if (!hasUnstorableText(value)) expect(clean).toStrictEqual(value);
        // Keys stay in order, and a "__proto__" key stays a key.
        expect(JSON.stringify(clean).length).toBeGreaterThan(0);
      }),
    );
    const proto = JSON.parse('{"__proto__":{"x":"\\u0000"},"b":1}') as object;
    expect(Object.keys(toStorableText(proto) as object)).toEqual(['__proto__', 'b']);
    expect(JSON.stringify(toStorableText(proto))).toBe('{"__proto__":{"x":"\uFFFD"},"b":1}');
  });

  it('walks values nested deeper than the call stack', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}"\\u0000"${']'.repeat(200_000)}`) as unknown;
    expect(hasUnstorableText(deep)).toBe(true);
    expect(hasUnstorableText(toStorableText(deep))).toBe(false);
  });
});
