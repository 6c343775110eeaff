import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst of its capacity, then paces at its rate', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0]);
    expect(bucket.take(0)).toBe(100);
    expect(bucket.take(100)).toBe(0);
    expect(bucket.take(100)).toBe(100);
  });

  it('holds the pair rate: 45 at once, then one per 6 s', () => {
    const pair = new TokenBucket(1 / 6, 45, 0);
    for (let i = 0; i < 45; i++) expect(pair.take(0)).toBe(0);
    expect(pair.take(0)).toBe(6_000);
    expect(pair.take(6_000)).toBe(0);
    expect(pair.full(6_000 + 45 * 6_000)).toBe(true);
  });

  it('drains after a throttling answer', () => {
    const bucket = new TokenBucket(80, 8, 0);
    bucket.drain(0);
    expect(bucket.take(0)).toBeGreaterThan(0);
  });
});
