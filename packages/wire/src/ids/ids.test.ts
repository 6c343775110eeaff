import { describe, expect, it } from 'vitest';
import { GRAPH_ID, isWamid, newGraphId, newWamid } from './ids.js';

describe('ids', () => {
  it('makes 16-digit Graph ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newGraphId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[1-9]\d{15}$/);
    expect(GRAPH_ID.test(newGraphId())).toBe(true);
  });

  it("makes wamids in Meta's shape, at most 128 characters", () => {
    const id = newWamid('16505551234');
    expect(id.startsWith('wamid.HBgL')).toBe(true);
    expect(isWamid(id)).toBe(true);
    expect(id.length).toBeLessThanOrEqual(128);
    expect(newWamid('16505551234')).not.toBe(id);
    expect(isWamid('wamid.')).toBe(false);
    expect(isWamid('hello')).toBe(false);
  });
});
