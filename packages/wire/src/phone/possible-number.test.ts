import fc from 'fast-check';
import metadata from 'libphonenumber-js/metadata.min.json';
import { describe, expect, it } from 'vitest';
import { possibleNumber, possibleNumberSlow } from './possible-number.js';

describe('possibleNumber', () => {
  it('answers as libphonenumber-js does for numbers of shared calling codes', () => {
    const shared = fc.constantFrom('1', '7', '44', '61', '290', '599', '39', '47', '262', '590', '212', '358', '599');
    fc.assert(
      fc.property(shared, fc.stringMatching(/^\d{1,14}$/), (code, rest) => {
        const digits = (code + rest).slice(0, 15);
        expect(possibleNumber(digits)).toBe(possibleNumberSlow(digits));
      }),
      { numRuns: 20_000 },
    );
  });

  it('answers as libphonenumber-js does for any digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,15}$/), (digits) => {
        expect(possibleNumber(digits)).toBe(possibleNumberSlow(digits));
      }),
      { numRuns: 20_000 },
    );
  });

  it('answers as libphonenumber-js does after every calling code', () => {
    const codes = fc.constantFrom(...Object.keys(metadata.country_calling_codes));
    fc.assert(
      fc.property(codes, fc.stringMatching(/^\d{0,15}$/), (code, rest) => {
        expect(possibleNumber(code + rest)).toBe(possibleNumberSlow(code + rest));
      }),
      { numRuns: 50_000 },
    );
  });

  it('takes the full parse where the country decides', () => {
    // Canada alone among +1's countries has 7-digit national numbers; whether "1" after +1 is a
    // national prefix to strip depends on the country the rest belongs to.
    for (const digits of ['13101234', '12041234', '14165550123', '12005550123', '113101197', '113102113', '4407700900123']) {
      expect(possibleNumber(digits)).toBe(possibleNumberSlow(digits));
    }
    expect(possibleNumber('14165550123')).toBe('14165550123');
  });
});
