import { describe, expect, it } from 'vitest';
import { BatchLoader } from './batch-loader.js';

describe('BatchLoader', () => {
  it('answers lookups of one turn with one call, duplicates included', async () => {
    const calls: string[][] = [];
    const loader = new BatchLoader<string, number | undefined>(
      (k) => k,
      async (keys) => {
        calls.push(keys);
        return new Map(keys.filter((k) => k !== 'x').map((k) => [k, k.length]));
      },
      undefined,
    );
    const answers = await Promise.all([loader.load('a'), loader.load('bb'), loader.load('a'), loader.load('x')]);
    expect(answers).toEqual([1, 2, 1, undefined]);
    expect(calls).toEqual([['a', 'bb', 'x']]);
    expect(await loader.load('ccc')).toBe(3);
    expect(calls).toHaveLength(2);
  });

  it('rejects every waiter of a failed batch', async () => {
    const loader = new BatchLoader<string, number>((k) => k, () => Promise.reject(new Error('down')), 0);
    await expect(Promise.all([loader.load('a'), loader.load('b')])).rejects.toThrow('down');
  });
});
