/**
 * A receiver's 200 is known to the sender alone until its record commits. When that record fails
 * with its connection (PostgreSQL restarting), the sender records it again once the pool has
 * reconnected instead of leaving the batch queued to be POSTed a second time. The failure is real:
 * the worker's pool reaches PostgreSQL through a TCP relay that resets the connection carrying the
 * delivery's record.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TcpRelay, targetOf } from '../../test/tcp-relay.js';
import { recordDelivered } from './sql/record-attempt.js';
import { messageEvent, startHarness, type Harness, type TenantFixture } from './test-harness.js';
import { startWebhookDelivery } from './worker.js';

let h: Harness;
let relay: TcpRelay;
beforeAll(async () => {
  h = await startHarness();
  // The delivery's record names its outcome; no other statement of the worker inserts a 'delivered' attempt.
  relay = new TcpRelay(targetOf(h.db.url), (data) => data.includes('insert into webhook_attempts') && data.includes("'delivered'"));
});
afterAll(async () => {
  await h.close();
  await relay.close();
});

/** `count` inbound messages of one conversation, queued for the tenant. */
async function enqueueMessages(tenant: TenantFixture, count: number): Promise<void> {
  await h.enqueue(Array.from({ length: count }, (_, seq) => messageEvent(tenant, '15550701000', seq)));
}

describe('recording a delivery whose connection failed', () => {
  it('records it again once the pool has reconnected; the batch is POSTed once', async () => {
    const tenant = await h.tenant('Record');
    const receiver = await h.receiver();
    expect((await h.call('PUT', '/api/v1/webhooks', tenant.api_key, { url: receiver.url, verify_token: receiver.verifyToken })).status).toBe(200);
    await enqueueMessages(tenant, 3);

    const ctx = h.otherContext(await relay.listen(h.db.url));
    const warn = vi.spyOn(ctx.logger, 'warn');
    const worker = await startWebhookDelivery(ctx);
    try {
      await vi.waitFor(() => expect(warn.mock.calls.some((call) => String(call[1]).includes('could not record a delivery'))).toBe(true));
      expect(relay.cuts).toBe(1);
      expect(receiver.posts).toHaveLength(1);
      h.clock.advance(1_000);
      await vi.waitFor(async () => {
        const [row] = await h.db.sql<{ delivered: number; pending: number }[]>`
          select count(*) filter (where state = 'delivered')::int as delivered, (select count(*)::int from webhook_pending) as pending
          from webhook_events where tenant_id = ${tenant.tenant_id}`;
        expect(row).toEqual({ delivered: 3, pending: 0 });
      });
      expect(receiver.posts).toHaveLength(1);
      const attempts = await h.db.sql<{ outcome: string; event_count: number }[]>`
        select outcome, event_count from webhook_attempts where tenant_id = ${tenant.tenant_id}`;
      expect(attempts).toEqual([{ outcome: 'delivered', event_count: 3 }]);
    } finally {
      await worker.close();
    }
  });

  it('writes nothing twice when the try that lost its connection had committed', async () => {
    const tenant = await h.tenant('Committed');
    const receiver = await h.receiver();
    expect((await h.call('PUT', '/api/v1/webhooks', tenant.api_key, { url: receiver.url, verify_token: receiver.verifyToken })).status).toBe(200);
    await enqueueMessages(tenant, 2);
    const pending = await h.db.sql<{ event_id: string; destination_id: string }[]>`
      select event_id::text, destination_id::text from webhook_pending where tenant_id = ${tenant.tenant_id} order by event_id`;
    expect(pending).toHaveLength(2);
    const at = new Date(h.clock.now());
    const record = {
      destinationId: pending[0]!.destination_id,
      tenantId: tenant.tenant_id,
      url: receiver.url,
      startedAt: at,
      durationMs: 3,
      statusCode: 200,
      eventIds: pending.map((p) => p.event_id),
      now: at,
    };
    await recordDelivered(h.db.sql, record, false);
    await recordDelivered(h.db.sql, record, false, true);
    const attempts = await h.db.sql<{ outcome: string; event_count: number }[]>`
      select outcome, event_count from webhook_attempts where tenant_id = ${tenant.tenant_id}`;
    expect(attempts).toEqual([{ outcome: 'delivered', event_count: 2 }]);
    const [events] = await h.db.sql<{ delivered: number; attempts: number }[]>`
      select count(*) filter (where state = 'delivered')::int as delivered, sum(attempts)::int as attempts
      from webhook_events where tenant_id = ${tenant.tenant_id}`;
    expect(events).toEqual({ delivered: 2, attempts: 2 });
  });
});
