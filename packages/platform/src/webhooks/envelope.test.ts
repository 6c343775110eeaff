import { describe, expect, it } from 'vitest';
import { buildEnvelope, fittingPrefix } from './envelope.js';

const at = new Date('2026-01-02T03:04:05Z');
const ev = (id: string, waba: string, value: unknown = {}) => ({ event_id: id, waba_id: waba, field: 'messages', value, created_at: at });

describe('buildEnvelope', () => {
  it("groups consecutive events of one WABA into an entry, in Meta's key order and escaping", () => {
    const { body, eventIds } = buildEnvelope([ev('a', '1', { t: 'é' }), ev('b', '1'), ev('c', '2'), ev('d', '1')]);
    expect(eventIds).toEqual(['a', 'b', 'c', 'd']);
    expect(body).toBe(
      '{"object":"whatsapp_business_account","entry":[' +
        '{"id":"1","time":1767323045,"changes":[{"value":{"t":"\\u00e9"},"field":"messages"},{"value":{},"field":"messages"}]},' +
        '{"id":"2","time":1767323045,"changes":[{"value":{},"field":"messages"}]},' +
        '{"id":"1","time":1767323045,"changes":[{"value":{},"field":"messages"}]}]}',
    );
  });
});

describe('fittingPrefix', () => {
  it('takes the longest prefix under the size limit, and always at least one event', () => {
    const big = { value: 'x'.repeat(600) };
    expect(fittingPrefix([big, big, big], 1_500)).toHaveLength(2);
    expect(fittingPrefix([{ value: 'x'.repeat(5_000) }, big], 1_500)).toHaveLength(1);
    expect(fittingPrefix([], 1_500)).toEqual([]);
  });
});
