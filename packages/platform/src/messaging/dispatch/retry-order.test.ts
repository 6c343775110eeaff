/**
 * A conversation's messages reach Meta in the order they were accepted, also when one of them has
 * to be tried again: the messages after it wait for it instead of going ahead in the next round.
 * One whose attempt's outcome is unknown waits the grace period for Meta's status; when the status
 * comes (Meta had it), it is taken off the queue and the messages behind it go at once.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { holdSendLease, sendHelloWorld, startStack, type Stack, type TenantWithNumber } from '../../../test/stack.js';
import { markInFlight, recoverInFlight } from '../sql/claim-batch.js';
import { SEND_CHANNEL } from '../sql/insert-accepted.js';
import { traced } from './trace.js';

describe('a conversation whose first message is tried again', () => {
  let stack: Stack;
  let tenant: TenantWithNumber;
  beforeAll(async () => {
    stack = await startStack();
    tenant = await stack.tenantWithNumber('Order');
  });
  afterAll(async () => stack.close());

  const arrivedAt = (to: string) =>
    [...stack.emulator.ctx.state.messages.values()].filter((m) => m.direction === 'outbound' && m.waId === to).map((m) => m.id);
  const messagesOf = async (wamids: string[]) =>
    stack.db.sql<{ id: string; wamid: string; meta_wamid: string | null }[]>`
      select id::text as id, wamid, meta_wamid from messages where wamid = any(${wamids}) order by id`;

  it('sends the rest only after it, in the order accepted', async () => {
    const to = '15550903001';
    const faults = await fetch(`${stack.emulatorUrl}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ match: { method: 'POST', path: '/:id/messages' }, status: 503, burst: 1 }]),
    });
    expect(faults.status).toBe(200);
    const wamids: string[] = [];
    for (let i = 0; i < 3; i++) wamids.push(await sendHelloWorld(stack, tenant, to));

    await vi.waitFor(async () => {
      stack.clock.advance(500);
      const [row] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from messages where wamid = any(${wamids}) and meta_wamid is not null`;
      expect(row!.n).toBe(3);
    });
    expect(arrivedAt(to)).toEqual((await messagesOf(wamids)).map((m) => m.meta_wamid));
    const [retried] = await stack.db.sql<{ n: number }[]>`
      select count(*)::int as n from message_attempts a join messages m on m.id = a.message_id where m.wamid = ${wamids[0]!} and a.outcome = 'retry'`;
    expect(retried!.n).toBe(1);
  });

  it('lets the rest go as soon as Meta\'s status shows an unknown outcome reached it, not after the grace', async () => {
    const other = await stack.tenantWithNumber('Unknown');
    const phoneNumberId = other.sandbox.phone_number_id;
    const to = '15550903002';
    // Accepted while another process holds the number; that process then "dies" with the first in flight.
    const release = await holdSendLease(stack, phoneNumberId);
    const wamids = [await sendHelloWorld(stack, other, to), await sendHelloWorld(stack, other, to)];
    const [first] = await messagesOf(wamids);
    const now = new Date(stack.clock.now());
    await markInFlight(stack.db.sql, [first!.id], now);
    expect(await recoverInFlight(stack.db.sql, phoneNumberId, now, stack.platform.ctx.unknownOutcomeGraceMs)).toBe(1);
    await release();

    // The dispatcher takes the number: the first waits out the grace, the second waits behind it.
    await stack.db.sql`select pg_notify(${SEND_CHANNEL}, ${phoneNumberId})`;
    await vi.waitFor(async () => {
      const [lease] = await stack.db.sql`select 1 from pg_locks where locktype = 'advisory' and granted and objid = hashtext(${phoneNumberId})::oid`;
      expect(lease).toBeDefined();
    });
    stack.clock.advance(2_000);
    expect(arrivedAt(to)).toEqual([]);
    expect((await messagesOf(wamids)).map((m) => m.meta_wamid)).toEqual([null, null]);

    // The first had reached Meta after all (as the lost request had): its statuses carry the trace.
    const [body] = await stack.db.sql<{ body: Record<string, unknown> }[]>`select body from messages where id = ${first!.id}`;
    const atMeta = await fetch(`${stack.emulatorUrl}/v23.0/${phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${other.sandbox.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(traced(body!.body, first!.wamid)),
    });
    expect(atMeta.status).toBe(200);
    await vi.waitFor(async () => {
      stack.clock.advance(250);
      expect(arrivedAt(to)).toHaveLength(2);
    });
    expect(stack.clock.now() - now.getTime()).toBeLessThan(stack.platform.ctx.unknownOutcomeGraceMs);
    const [firstNow, secondNow] = await messagesOf(wamids);
    expect(arrivedAt(to)).toEqual([firstNow!.meta_wamid, secondNow!.meta_wamid]);
    const [queued] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from send_queue where phone_number_id = ${phoneNumberId}`;
    expect(queued!.n).toBe(0);
  });
});
