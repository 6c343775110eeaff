import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeWebhookBody } from '@switchboard/wire';
import { buildEnvelope, fittingPrefix } from './envelope.js';

const at = new Date('2026-01-02T03:04:05Z');
const ev = (id: string, waba: string, value: unknown = {}) => ({ event_id: id, waba_id: waba, field: 'messages', value_json: JSON.stringify(value), created_at: at });

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
    expect(buildEnvelope([]).body).toBe('{"object":"whatsapp_business_account","entry":[]}');
  });

  it('gives the bytes serialising the whole envelope as one object would (what receivers verify)', () => {
    const event = fc.record({
      event_id: fc.uuid(),
      waba_id: fc.constantFrom('1', '2', '3'),
      field: fc.constantFrom('messages', 'message_template_status_update', 'ﬁeld "quoted"'),
      value: fc.jsonValue(),
      created_at: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 12 }), (events) => {
        const entry: Array<{ id: string; time: number; changes: Array<{ value: unknown; field: string }> }> = [];
        for (const e of events) {
          const change = { value: e.value, field: e.field };
          const last = entry[entry.length - 1];
          if (last && last.id === e.waba_id) last.changes.push(change);
          else entry.push({ id: e.waba_id, time: Math.floor(e.created_at.getTime() / 1000), changes: [change] });
        }
        const built = buildEnvelope(events.map((e) => ({ ...e, value_json: JSON.stringify(e.value) })));
        expect(built.body).toBe(serializeWebhookBody({ object: 'whatsapp_business_account', entry }));
        expect(built.eventIds).toEqual(events.map((e) => e.event_id));
      }),
      { numRuns: 300 },
    );
  });
});

describe('fittingPrefix', () => {
  it('takes the longest prefix under the size limit, and always at least one event', () => {
    const big = { value_json: JSON.stringify('x'.repeat(600)) };
    expect(fittingPrefix([big, big, big], 1_500)).toHaveLength(2);
    expect(fittingPrefix([{ value_json: JSON.stringify('x'.repeat(5_000)) }, big], 1_500)).toHaveLength(1);
    expect(fittingPrefix([], 1_500)).toEqual([]);
  });
});
