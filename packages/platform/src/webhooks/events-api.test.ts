import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness, type Json, type Receiver, type TenantFixture } from './test-harness.js';
import { startWebhookDelivery } from './worker.js';

let h: Harness;
let a: TenantFixture;
let b: TenantFixture;
let receiver: Receiver;
let startedAt: number;

function event(t: TenantFixture, n: number, field = 'messages') {
  return { tenantId: t.tenant_id, wabaId: t.wabaId, phoneNumberId: t.phoneNumberIds[0], field, value: { n }, orderingKey: `k${n % 2}` };
}

beforeAll(async () => {
  h = await startHarness();
  a = await h.tenant('Acme');
  b = await h.tenant('Globex');
  receiver = await h.receiver();
  for (const t of [a, b]) await h.call('PUT', '/api/v1/webhooks', t.api_key, { url: receiver.url, verify_token: receiver.verifyToken });
  startedAt = h.clock.now();
  const worker = await startWebhookDelivery(h.ctx);
  try {
    await h.enqueue([1, 2, 3].map((n) => event(a, n)));
    await vi.waitFor(() => expect(receiver.changes()).toHaveLength(3), { timeout: 20_000, interval: 20 });
    h.clock.advance(60_000);
    await h.enqueue([event(a, 4, 'message_template_status_update'), event(b, 5)]);
    await vi.waitFor(() => expect(receiver.changes()).toHaveLength(5), { timeout: 20_000, interval: 20 });
  } finally {
    await worker.close();
  }
  // One more, never sent: stays pending.
  await h.enqueue([event(a, 6)]);
});
afterAll(async () => h.close());

const ids = (res: { json: Json }) => res.json.data.map((e: Json) => e.value.n);

describe('GET /api/v1/webhook-events', () => {
  it("lists the tenant's own events, newest first, with filters and pages", async () => {
    expect(ids(await h.call('GET', '/api/v1/webhook-events', a.api_key))).toEqual([6, 4, 3, 2, 1]);
    expect(ids(await h.call('GET', '/api/v1/webhook-events?state=pending', a.api_key))).toEqual([6]);
    expect(ids(await h.call('GET', '/api/v1/webhook-events?state=delivered&field=messages', a.api_key))).toEqual([3, 2, 1]);
    const since = Math.floor((startedAt + 30_000) / 1000);
    expect(ids(await h.call('GET', `/api/v1/webhook-events?since=${since}`, a.api_key))).toEqual([6, 4]);
    expect(ids(await h.call('GET', `/api/v1/webhook-events?since=${new Date(startedAt + 30_000).toISOString()}`, a.api_key))).toEqual([6, 4]);

    const first = await h.call('GET', '/api/v1/webhook-events?limit=2', a.api_key);
    expect(ids(first)).toEqual([6, 4]);
    const second = await h.call('GET', `/api/v1/webhook-events?limit=2&before=${first.json.paging.before}`, a.api_key);
    expect(ids(second)).toEqual([3, 2]);
    const last = await h.call('GET', `/api/v1/webhook-events?limit=2&before=${second.json.paging.before}`, a.api_key);
    expect(ids(last)).toEqual([1]);
    expect(last.json.paging.before).toBeNull();

    const [pending] = (await h.call('GET', '/api/v1/webhook-events?state=pending', a.api_key)).json.data;
    expect(pending).toMatchObject({
      tenant_id: a.tenant_id,
      waba_id: a.wabaId,
      phone_number_id: a.phoneNumberIds[0],
      field: 'messages',
      ordering_key: 'k0',
      state: 'pending',
      url: receiver.url,
      attempts: 0,
      next_attempt_at: null,
      delivered_at: null,
      dead_at: null,
    });
  });

  it('shows one event with every POST that carried it, under the id the receiver got', async () => {
    const change = receiver.changes().find((c) => c.value.n === 2)!;
    const res = await h.call('GET', `/api/v1/webhook-events/${change.eventId}`, a.api_key);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: change.eventId, state: 'delivered', attempts: 1, value: { n: 2 } });
    expect(res.json.deliveries).toEqual([
      expect.objectContaining({ outcome: 'delivered', status_code: 200, error: null, url: receiver.url, event_count: 3 }),
    ]);
  });

  it('lists deliveries with the event ids they carried', async () => {
    const res = await h.call('GET', '/api/v1/webhook-deliveries', a.api_key);
    expect(res.json.data.map((d: Json) => d.event_ids.length)).toEqual([1, 3]);
    const batch = receiver.posts.find((p) => p.eventIds.length === 3)!;
    expect(res.json.data[1].event_ids).toEqual(batch.eventIds);
    expect((await h.call('GET', '/api/v1/webhook-deliveries?outcome=failed', a.api_key)).json.data).toEqual([]);
  });

  it("keeps tenants apart: another tenant's event is an unknown object", async () => {
    const other = receiver.changes().find((c) => c.value.n === 5)!;
    expect(ids(await h.call('GET', '/api/v1/webhook-events', b.api_key))).toEqual([5]);
    for (const [method, url] of [
      ['GET', `/api/v1/webhook-events/${other.eventId}`],
      ['POST', `/api/v1/webhook-events/${other.eventId}/replay`],
      ['GET', `/api/v1/webhook-events?tenant_id=${b.tenant_id}`],
    ] as const) {
      const res = await h.call(method, url, a.api_key);
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: 100, error_subcode: 33 });
    }
    expect((await h.call('GET', '/api/v1/webhook-deliveries', b.api_key)).json.data).toHaveLength(1);
  });

  it('lets the operator read across tenants or one, and replay for a tenant', async () => {
    expect(ids(await h.call('GET', '/api/v1/webhook-events', h.operatorKey))).toEqual([6, 5, 4, 3, 2, 1]);
    expect(ids(await h.call('GET', `/api/v1/webhook-events?tenant_id=${b.tenant_id}`, h.operatorKey))).toEqual([5]);
    const other = receiver.changes().find((c) => c.value.n === 5)!;
    const replay = await h.call('POST', `/api/v1/webhook-events/${other.eventId}/replay`, h.operatorKey);
    expect(replay.json).toMatchObject({ id: other.eventId, tenant_id: b.tenant_id });
    // Queued again; the running worker may already have delivered it.
    expect(['pending', 'delivered']).toContain(replay.json.state);
    expect((await h.call('POST', '/api/v1/webhook-events/replay', h.operatorKey, {})).json.error.code).toBe(100);
    expect((await h.call('POST', `/api/v1/webhook-events/replay?tenant_id=${b.tenant_id}`, h.operatorKey)).json).toEqual({ replayed: 0, skipped: 0 });
  });

  it("answers bad input in Meta's error shape, never 5xx", async () => {
    for (const url of [
      '/api/v1/webhook-events?state=lost',
      '/api/v1/webhook-events?since=yesterday',
      '/api/v1/webhook-events?limit=0',
      '/api/v1/webhook-events?limit=5000',
      '/api/v1/webhook-events?before=not-a-cursor',
      '/api/v1/webhook-events?tenant_id=00000000-0000-0000-0000-000000000000',
      '/api/v1/webhook-events/not-a-uuid',
      '/api/v1/webhook-events/00000000-0000-0000-0000-000000000000',
      '/api/v1/webhook-deliveries?outcome=maybe',
    ]) {
      const res = await h.call('GET', url, a.api_key);
      expect(res.status, url).toBe(400);
      expect(res.json.error.code, url).toBe(100);
    }
    for (const body of [{ limit: 0 }, { limit: 'many' }, { since: 'soon' }, '[', 7]) {
      const res = await h.call('POST', '/api/v1/webhook-events/replay', a.api_key, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe(100);
    }
    expect((await h.call('GET', '/api/v1/webhook-events', 'sb_nope')).json.error.code).toBe(190);
  });
});
