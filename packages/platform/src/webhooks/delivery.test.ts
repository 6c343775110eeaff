import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newGraphId, verifySignature } from '@switchboard/wire';
import { enqueueTenantEvents, type TenantEvent } from './enqueue-events.js';
import { messageEvent as message, startHarness, type Harness, type Receiver, type TenantFixture } from './test-harness.js';
import { startWebhookDelivery, type WebhookDeliveryOptions } from './worker.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WAIT = { timeout: 45_000, interval: 20 };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

/** A tenant whose default URL is a fresh receiver (set through the API, handshake included). */
async function tenantWithReceiver(name: string, phones = 1): Promise<{ tenant: TenantFixture; receiver: Receiver }> {
  const tenant = await h.tenant(name, phones);
  const receiver = await h.receiver();
  const res = await h.call('PUT', '/api/v1/webhooks', tenant.api_key, { url: receiver.url, verify_token: receiver.verifyToken });
  expect(res.status).toBe(200);
  return { tenant, receiver };
}

async function withWorker<T>(fn: () => Promise<T>, options: WebhookDeliveryOptions = {}): Promise<T> {
  const worker = await startWebhookDelivery(h.ctx, options);
  try {
    return await fn();
  } finally {
    await worker.close();
  }
}

async function eventStates(tenantId: string): Promise<Record<string, number>> {
  const rows = await h.db.sql<{ state: string; n: number }[]>`
    select state, count(*)::int as n from webhook_events where tenant_id = ${tenantId} group by state`;
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** Per ordering key, the sequence numbers in the order they arrived. */
function arrivalsByKey(receiver: Receiver): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const c of receiver.changes()) {
    const m = c.value.messages[0];
    const list = byKey.get(m.from) ?? [];
    list.push(Number(m.text.body.split(' ')[1]));
    byKey.set(m.from, list);
  }
  return byKey;
}

describe('tenant webhook delivery', () => {
  it("batches events in Meta's envelope, signed with the tenant secret, with their event ids", async () => {
    const { tenant, receiver } = await tenantWithReceiver('Batch');
    const secondWaba = newGraphId();
    await h.db.sql`insert into wabas (id, tenant_id, access_token_enc) values (${secondWaba}, ${tenant.tenant_id}, ${h.ctx.box.seal('t')})`;
    const events: TenantEvent[] = [];
    for (let i = 0; i < 150; i++) {
      // Runs of the same WABA share an entry; a template event of the second WABA every 10th.
      events.push(
        i % 10 === 9
          ? { tenantId: tenant.tenant_id, wabaId: secondWaba, field: 'message_template_status_update', value: { event: 'APPROVED', n: i }, orderingKey: `waba:${secondWaba}` }
          : message(tenant, `1650555${i % 3}`, i, i === 0 ? { value: { text: 'Olá 😀 停止' } } : {}),
      );
    }
    await withWorker(async () => {
      await h.enqueue(events);
      await vi.waitFor(() => expect(receiver.changes()).toHaveLength(150), WAIT);
    });

    expect(receiver.posts.map((p) => p.eventIds.length)).toEqual([100, 50]);
    const ids = await h.db.sql<{ event_id: string }[]>`select event_id::text from webhook_events where tenant_id = ${tenant.tenant_id} order by id`;
    expect(receiver.posts.flatMap((p) => p.eventIds)).toEqual(ids.map((r) => r.event_id));
    for (const post of receiver.posts) {
      expect(post.raw).toMatch(/^[\x00-\x7f]*$/);
      expect(verifySignature(post.raw, String(post.headers['x-hub-signature-256']), tenant.webhook_secret)).toBe(true);
      expect(verifySignature(post.raw, String(post.headers['x-hub-signature-256']), 'another-secret')).toBe(false);
      expect(post.body.object).toBe('whatsapp_business_account');
      // Consecutive entries never share a WABA: consecutive events of one WABA were grouped.
      post.body.entry.forEach((e, i) => expect(e.id).not.toBe(post.body.entry[i - 1]?.id));
      expect(post.body.entry.every((e) => e.time === Math.floor(h.clock.now() / 1000))).toBe(true);
    }
    const first = receiver.posts[0]!.body;
    expect(first.entry[0]!.id).toBe(tenant.wabaId);
    expect(first.entry[0]!.changes.length).toBe(9);
    expect(first.entry[0]!.changes[0]).toEqual({ value: { text: 'Olá 😀 停止' }, field: 'messages' });
    expect(first.entry[1]).toMatchObject({ id: secondWaba, changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED', n: 9 } }] });
    expect(await eventStates(tenant.tenant_id)).toEqual({ delivered: 150 });
    expect(h.ctx.metrics.render()).toMatch(/switchboard_tenant_webhook_deliveries_total\{outcome="delivered"\} \d+/);
  });

  it('keeps events for hours while the receiver is down, then delivers all of them in order per conversation', async () => {
    const { tenant, receiver } = await tenantWithReceiver('Outage');
    receiver.mode = 'fail';
    const keys = ['16505550001', '16505550002', '16505550003'];
    let seq = 0;
    const sent = new Map<string, number[]>(keys.map((k) => [k, []]));
    const burst = async (n: number) => {
      const events = Array.from({ length: n }, () => {
        const key = keys[seq % keys.length]!;
        sent.get(key)!.push(seq);
        return message(tenant, key, seq++);
      });
      await h.enqueue(events);
    };

    await withWorker(async () => {
      await burst(30);
      await vi.waitFor(() => expect(receiver.attempts).toBeGreaterThan(0), WAIT);
      // Six virtual hours of outage, with traffic arriving all along.
      for (let step = 0; step < 36; step++) {
        h.clock.advance(10 * MINUTE);
        if (step % 6 === 0) await burst(7);
        await new Promise((r) => setImmediate(r));
      }
      const attemptsDuringOutage = receiver.attempts;
      expect(receiver.posts).toHaveLength(0);
      expect(await eventStates(tenant.tenant_id)).toEqual({ pending: seq });
      await vi.waitFor(async () => {
        const detail = await h.call('GET', '/api/v1/webhook-deliveries?outcome=failed&limit=1', tenant.api_key);
        expect(detail.json.data[0]).toMatchObject({ outcome: 'failed', status_code: 503, error: 'HTTP 503: down for maintenance' });
      }, WAIT);
      // Backoff, not one POST per event: 6 h at up to 1 h steps is a few dozen probes at most.
      expect(attemptsDuringOutage).toBeLessThan(40);

      receiver.mode = 'ok';
      await vi.waitFor(() => {
        h.clock.advance(5 * MINUTE);
        expect(receiver.changes()).toHaveLength(seq);
      }, WAIT);
    });

    expect(arrivalsByKey(receiver)).toEqual(sent);
    expect(new Set(receiver.changes().map((c) => c.eventId)).size).toBe(seq);
    expect(await eventStates(tenant.tenant_id)).toEqual({ delivered: seq });
  });

  it('counts a receiver that does not answer in time as a failure and retries', async () => {
    const { tenant, receiver } = await tenantWithReceiver('Slow');
    receiver.mode = 'hang';
    await withWorker(
      async () => {
        await h.enqueue([message(tenant, '16505559999', 1)]);
        await vi.waitFor(async () => {
          const [row] = await h.db.sql`select outcome, error from webhook_attempts where tenant_id = ${tenant.tenant_id}`;
          expect(row).toMatchObject({ outcome: 'timeout', error: 'no answer within 200 ms' });
        }, WAIT);
        receiver.mode = 'ok';
        await vi.waitFor(() => {
          h.clock.advance(MINUTE);
          expect(receiver.posts).toHaveLength(1);
        }, WAIT);
      },
      { timeoutMs: 200 },
    );
    expect(await eventStates(tenant.tenant_id)).toEqual({ delivered: 1 });
  });

  it('dead-letters events after the 24 h retry window, and replays them on request', async () => {
    const { tenant, receiver } = await tenantWithReceiver('Dead');
    receiver.mode = 'fail';
    receiver.failStatus = 500;
    await withWorker(async () => {
      await h.enqueue([1, 2, 3].map((i) => message(tenant, '16505551111', i)));
      await vi.waitFor(() => expect(receiver.attempts).toBeGreaterThan(0), WAIT);
      const started = h.clock.now();
      await vi.waitFor(async () => {
        h.clock.advance(30 * MINUTE);
        expect(await eventStates(tenant.tenant_id)).toEqual({ dead: 3 });
      }, WAIT);
      expect(h.clock.now() - started).toBeGreaterThanOrEqual(24 * HOUR);

      const list = await h.call('GET', '/api/v1/webhook-events?state=dead', tenant.api_key);
      expect(list.json.data).toHaveLength(3);
      const [newest] = list.json.data;
      expect(newest).toMatchObject({ state: 'dead', url: receiver.url, last_error: 'HTTP 500: down for maintenance' });
      expect(newest.attempts).toBeGreaterThan(10);

      receiver.mode = 'ok';
      const replay = await h.call('POST', `/api/v1/webhook-events/${newest.id}/replay`, tenant.api_key);
      expect(replay.status).toBe(200);
      expect(replay.json).toMatchObject({ id: newest.id, dead_at: null });
      // Queued again; the worker, woken by the replay's NOTIFY, may already have delivered it.
      expect(['pending', 'delivered']).toContain(replay.json.state);
      await vi.waitFor(() => expect(receiver.posts).toHaveLength(1), WAIT);
      expect(receiver.posts[0]!.eventIds).toEqual([newest.id]);

      const bulk = await h.call('POST', '/api/v1/webhook-events/replay', tenant.api_key, {});
      expect(bulk.json).toEqual({ replayed: 2, skipped: 0 });
      await vi.waitFor(() => expect(receiver.changes()).toHaveLength(3), WAIT);
    });
    expect(await eventStates(tenant.tenant_id)).toEqual({ delivered: 3 });
    expect(arrivalsByKey(receiver).get('16505551111')).toEqual([3, 1, 2]);
  });

  it('stores events of a tenant without a URL as dead, replayable once a URL is set', async () => {
    const tenant = await h.tenant('NoUrl');
    await withWorker(async () => {
      await h.enqueue([message(tenant, '16505552222', 1)]);
      const [event] = (await h.call('GET', '/api/v1/webhook-events', tenant.api_key)).json.data;
      expect(event).toMatchObject({ state: 'dead', url: null, attempts: 0 });
      expect(event.last_error).toContain('No webhook URL');
      const refused = await h.call('POST', `/api/v1/webhook-events/${event.id}/replay`, tenant.api_key);
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe(100);

      const receiver = await h.receiver();
      await h.call('PUT', '/api/v1/webhooks', tenant.api_key, { url: receiver.url, verify_token: receiver.verifyToken });
      expect((await h.call('POST', `/api/v1/webhook-events/${event.id}/replay`, tenant.api_key)).json.url).toBe(receiver.url);
      await vi.waitFor(() => expect(receiver.posts).toHaveLength(1), WAIT);
    });
  });

  it('routes by phone override → WABA override → default, templates always to the default, and skips unsubscribed WABAs', async () => {
    const { tenant, receiver: fallback } = await tenantWithReceiver('Routes', 2);
    const wabaHook = await h.receiver();
    const phoneHook = await h.receiver();
    for (const r of [wabaHook, phoneHook]) r.verifyToken = fallback.verifyToken;
    await h.call('POST', `/${tenant.wabaId}/subscribed_apps`, tenant.api_key, { override_callback_uri: wabaHook.url, verify_token: fallback.verifyToken });
    await h.call('PUT', `/api/v1/phone-numbers/${tenant.phoneNumberIds[1]}/webhook`, tenant.api_key, {
      override_callback_uri: phoneHook.url,
      verify_token: fallback.verifyToken,
    });
    const [p0, p1] = tenant.phoneNumberIds as [string, string];
    await withWorker(async () => {
      await h.enqueue([
        message(tenant, '1', 1),
        { ...message(tenant, '2', 2), phoneNumberId: p1, orderingKey: `${p1}:2` },
        { tenantId: tenant.tenant_id, wabaId: tenant.wabaId, field: 'message_template_status_update', value: { event: 'APPROVED' }, orderingKey: 'waba' },
      ]);
      await vi.waitFor(() => {
        expect(wabaHook.changes().map((c) => c.value.messages[0].id)).toEqual(['wamid.1.1']);
        expect(phoneHook.changes().map((c) => c.value.messages[0].id)).toEqual(['wamid.2.2']);
        expect(fallback.changes().map((c) => c.field)).toEqual(['message_template_status_update']);
      }, WAIT);
      expect(p0).toBeDefined();

      await h.call('DELETE', `/${tenant.wabaId}/subscribed_apps`, tenant.api_key);
      await h.enqueue([message(tenant, '1', 3)]);
      // The receivers answered; the worker records the outcome just after.
      await vi.waitFor(async () => expect(await eventStates(tenant.tenant_id)).toEqual({ delivered: 3 }), WAIT);
    });
  });

  it('holds a conversation’s later event while an earlier one is undelivered at another URL', async () => {
    const { tenant, receiver: first } = await tenantWithReceiver('Moved');
    first.mode = 'fail';
    const second = await h.receiver();
    second.verifyToken = first.verifyToken;
    await withWorker(async () => {
      await h.enqueue([message(tenant, '16505553333', 1)]);
      await vi.waitFor(() => expect(first.attempts).toBeGreaterThan(0), WAIT);
      await h.call('PUT', '/api/v1/webhooks', tenant.api_key, { url: second.url, verify_token: second.verifyToken });
      await h.enqueue([message(tenant, '16505553333', 2), message(tenant, '16505554444', 3)]);
      // The other conversation is not held up; this one waits for event 1.
      await vi.waitFor(() => expect(second.changes().map((c) => c.value.messages[0].id)).toEqual(['wamid.16505554444.3']), WAIT);
      const [held] = await h.db.sql`
        select e.state, e.attempts from webhook_events e where e.tenant_id = ${tenant.tenant_id} and e.value::text like '%wamid.16505553333.2%'`;
      expect(held).toEqual({ state: 'pending', attempts: 0 });
      expect(second.changes()).toHaveLength(1);

      first.mode = 'ok';
      await vi.waitFor(() => {
        h.clock.advance(MINUTE);
        expect(first.changes()).toHaveLength(1);
        expect(second.changes()).toHaveLength(2);
      }, WAIT);
      expect(second.changes()[1]!.value.messages[0].id).toBe('wamid.16505553333.2');
    });
  });
});

describe('several delivery workers', () => {
  it('never POST to one URL concurrently, nor the same event twice, and keep order per conversation', async () => {
    const { tenant, receiver } = await tenantWithReceiver('Crowd');
    receiver.delayMs = 5;
    const second = h.otherContext();
    const one = await startWebhookDelivery(h.ctx, { batchSize: 7 });
    const two = await startWebhookDelivery(second, { batchSize: 7 });
    const sent = new Map<string, number[]>();
    try {
      let seq = 0;
      const writers = [h.db.sql, h.otherContext().sql];
      const round = () =>
        Promise.all(
          writers.map((sql, w) => {
            const events = Array.from({ length: 5 }, () => {
              const key = `1650555${w}${seq % 3}`;
              const n = seq++;
              sent.set(key, [...(sent.get(key) ?? []), n]);
              return message(tenant, key, n);
            });
            return sql.begin((tx) => enqueueTenantEvents(tx, events, h.clock.now()));
          }),
        );
      // Two writers race each other; every fifth round the queue drains, so the lease is given
      // back and both workers race for it again on the next round's NOTIFY.
      for (let r = 0; r < 20; r++) {
        await round();
        if (r % 5 === 4) await vi.waitFor(() => expect(receiver.changes()).toHaveLength(seq), WAIT);
      }
      // One worker stops (gracefully); the other carries on alone.
      await one.close();
      for (let r = 0; r < 4; r++) await round();
      await vi.waitFor(() => expect(receiver.changes()).toHaveLength(seq), WAIT);
    } finally {
      await one.close();
      await two.close();
    }
    expect(second.metrics.tenantDeliveries.values.get('outcome="delivered"')).toBeGreaterThan(0);
    expect(receiver.maxInFlight).toBe(1);
    expect(new Set(receiver.changes().map((c) => c.eventId)).size).toBe(240);
    expect(receiver.changes()).toHaveLength(240);
    expect(arrivalsByKey(receiver)).toEqual(sent);
  });

  it('lets another worker take over when the holder’s session dies mid-POST (the batch is sent again)', async () => {
    const { tenant, receiver } = await tenantWithReceiver('Crash');
    receiver.mode = 'hang';
    const one = await startWebhookDelivery(h.ctx, { timeoutMs: 2_000 });
    let two: { close(): Promise<void> } | undefined;
    try {
      await h.enqueue([message(tenant, '16505556666', 1), message(tenant, '16505556666', 2)]);
      await vi.waitFor(() => expect(receiver.attempts).toBe(1), WAIT);
      // The holder "crashes": its session, and the lease with it, ends while its POST hangs.
      const terminated = await h.db.sql`
        select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and classid = ${0x53575748} and granted`;
      expect(terminated).toHaveLength(1);
      receiver.mode = 'ok';
      two = await startWebhookDelivery(h.otherContext());
      await vi.waitFor(() => expect(receiver.posts).toHaveLength(1), WAIT);
      expect(receiver.posts[0]!.eventIds).toHaveLength(2);
    } finally {
      await one.close();
      await two?.close();
    }
    expect(await eventStates(tenant.tenant_id)).toEqual({ delivered: 2 });
  });
});
