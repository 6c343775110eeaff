import { describe, expect, it } from 'vitest';
import { callingCode, displayPhoneNumber, toWaId } from './wa-id.js';

describe('toWaId', () => {
  it('accepts Meta-tolerated punctuation', () => {
    expect(toWaId('+1 (650) 555-1234')).toBe('16505551234');
    expect(toWaId('+44 20 7946 0958')).toBe('442079460958');
    expect(toWaId('+81 90-1234-5678')).toBe('819012345678');
  });

  it('treats digits without + as international when they form a possible number', () => {
    expect(toWaId('16505551234')).toBe('16505551234');
    expect(toWaId('919876543210')).toBe('919876543210');
  });

  it("prepends the business number's calling code otherwise", () => {
    expect(toWaId('(631) 555-1234', '91')).toBe('916315551234');
    expect(toWaId('9876543210', '91')).toBe('919876543210');
  });

  it('rejects what cannot be a number', () => {
    for (const bad of ['', 'abc', '+1', '12345', '+1 650 555 1234 ext 9', '1'.repeat(16), '+0000000000']) {
      expect(toWaId(bad, '1'), bad).toBeUndefined();
    }
  });

  it('knows calling codes and display forms', () => {
    expect(callingCode('16505551234')).toBe('1');
    expect(callingCode('919876543210')).toBe('91');
    expect(displayPhoneNumber('16315555555')).toBe('+1 631 555 5555');
  });
});
