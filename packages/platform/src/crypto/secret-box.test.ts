import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('EAAG-token-配信');
    expect(sealed.toString('utf8')).not.toContain('EAAG');
    expect(box.open(sealed)).toBe('EAAG-token-配信');
    expect(box.seal('x').equals(box.seal('x'))).toBe(false);
  });

  it('refuses tampered data and other keys', () => {
    const sealed = box.seal('secret');
    sealed[sealed.length - 1]! ^= 1;
    expect(() => box.open(sealed)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(box.seal('secret'))).toThrow();
    expect(() => new SecretBox(randomBytes(16))).toThrow(RangeError);
  });
});
