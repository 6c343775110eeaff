/**
 * A sender drains a destination's queue under one lease, batch after batch. When its lease
 * connection's session is replaced (PostgreSQL restarted, the connection dropped) the lease is
 * gone, and another process may take the destination and send the same queued events: the fault
 * suite's restart scenario with two platform processes delivered 32 events twice this way. The
 * sender now looks at its lease session before each batch after the first and stops when it
 * changed, then tries the lease again.
 *
 * Here the receiver holds the first POST while the test terminates the sender's lease session and
 * takes the destination's lease itself, as another process would.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { messageEvent, startHarness, type Harness } from './test-harness.js';
import { LEASE_NAMESPACE, leaseKey, startWebhookDelivery } from './worker.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('a sender whose lease was lost between batches', () => {
  it('sends no further batch while another holds the destination, and the rest once it is free', async () => {
    const tenant = await h.tenant('Lease');
    const receiver = await h.receiver();
    expect((await h.call('PUT', '/api/v1/webhooks', tenant.api_key, { url: receiver.url, verify_token: receiver.verifyToken })).status).toBe(200);
    await h.enqueue([0, 1, 2].map((seq) => messageEvent(tenant, '15550702000', seq)));
    const [pending] = await h.db.sql<{ destination_id: string }[]>`
      select destination_id::text from webhook_pending where tenant_id = ${tenant.tenant_id} limit 1`;
    const key = leaseKey(pending!.destination_id);
    let answer!: () => void;
    receiver.hold = new Promise<void>((resolve) => (answer = resolve));

    const ctx = h.otherContext();
    const warn = vi.spyOn(ctx.logger, 'warn');
    const worker = await startWebhookDelivery(ctx, { batchSize: 1 });
    const other = await h.db.sql.reserve();
    try {
      await vi.waitFor(() => expect(receiver.attempts).toBe(1));
      // The sender's lease session ends; another "process" takes the destination.
      await h.db.sql`
        select pg_terminate_backend(pid, 5000) from pg_locks
        where locktype = 'advisory' and granted and classid = ${LEASE_NAMESPACE}::oid and objid = ${key}::oid`;
      const [taken] = await other<{ locked: boolean }[]>`select pg_try_advisory_lock(${LEASE_NAMESPACE}, ${key}) as locked`;
      expect(taken!.locked).toBe(true);

      answer();
      receiver.hold = undefined;
      const warned = (text: string) => warn.mock.calls.some((call) => String(call[1]).includes(text));
      // The sender has tried the lease again on its new session (or, as before, sent on without it).
      await vi.waitFor(() => expect(warned('webhook lease session was replaced') || receiver.posts.length > 1).toBe(true));
      expect(receiver.posts).toHaveLength(1);
      expect(warned('webhook lease lost while sending')).toBe(true);

      await other`select pg_advisory_unlock(${LEASE_NAMESPACE}, ${key})`;
      h.clock.advance(30_000); // the worker's sweep
      await vi.waitFor(() => expect(receiver.posts).toHaveLength(3));
      expect(receiver.changes().map((c) => c.value.messages[0].id)).toEqual(['wamid.15550702000.0', 'wamid.15550702000.1', 'wamid.15550702000.2']);
    } finally {
      answer();
      other.release();
      await worker.close();
    }
  });
});
