/**
 * Two lanes of one number at once: for a moment after a lease passes to another process (the old
 * holder's lease connection dropped and its dispatcher has not yet noticed), the old lane runs on
 * beside the new one. Both may claim the same queued message: only the lane whose mark in flight
 * took it sends it, and Meta gets it once. And one may have a message in flight, on its first
 * attempt, that the other's start-up recovery did not see: the other sends nothing after it in
 * its conversation until it has left the queue, so Meta gets the conversation in order.
 *
 * The tests hold the number's send lease, so the stack's dispatcher stays off it, and run two
 * lanes of their own, one of them held at a chosen point.
 */
import { describe, expect, it, vi } from 'vitest';
import type { GraphClient } from '../../graph/graph-client.js';
import { sendHelloWorld, sqlWith, stackWithHeldNumber, statementGate, statementIncludes } from '../../../test/stack.js';
import { markInFlight } from '../sql/claim-batch.js';
import { IN_FLIGHT_CHECK_MS, Lane } from './lane.js';

describe('two lanes of one number at once', () => {
  const made = stackWithHeldNumber('Overlap');

  const arrived = (to: string) => [...made.stack.emulator.ctx.state.messages.values()].filter((m) => m.direction === 'outbound' && m.waId === to);
  const atMeta = (to: string) => arrived(to).length;
  /** A poked lane's run has ended (whatever it scheduled next). */
  const idle = (lane: Lane) => vi.waitFor(() => expect(lane.stage).toBeUndefined());
  /** Every one of these messages has reached Meta, in the order they were accepted. */
  async function expectInOrderAtMeta(to: string, wamids: string[]): Promise<void> {
    const rows = await made.stack.db.sql<{ meta_wamid: string | null }[]>`
      select meta_wamid from messages where wamid = any(${wamids}) order by id`;
    expect(rows.map((r) => r.meta_wamid)).not.toContain(null);
    expect(arrived(to).map((m) => m.id)).toEqual(rows.map((r) => r.meta_wamid));
  }

  it('sends a message both lanes claimed once: the lane that lost it at the mark sends nothing', async () => {
    const { stack, tenant } = made;
    const real = stack.platform.ctx.sql;
    const gate = statementGate();
    const gated = sqlWith(real, {
      query: (...args) => (statementIncludes(args, 'set in_flight_since =') ? gate.hold(() => real(...args)) : real(...args)),
    });
    const logger = stack.platform.ctx.logger.child({ test: 'lane overlap' });
    const warn = vi.spyOn(logger, 'warn');
    const old = new Lane({ ...stack.platform.ctx, sql: gated, logger }, tenant.sandbox.phone_number_id);
    const taker = new Lane(stack.platform.ctx, tenant.sandbox.phone_number_id);
    const to = '15550901001';
    try {
      const wamid = await sendHelloWorld(stack, tenant, to);
      old.poke();
      await gate.reached; // claimed; its mark waits

      taker.poke();
      await vi.waitFor(async () => {
        const [row] = await stack.db.sql<{ meta_wamid: string | null }[]>`select meta_wamid from messages where wamid = ${wamid}`;
        expect(row!.meta_wamid).not.toBeNull();
      });
      gate.open();
      await vi.waitFor(() => expect(old.busy).toBe(false));

      expect(atMeta(to)).toBe(1);
      const attempts = await stack.db.sql<{ outcome: string }[]>`
        select a.outcome from message_attempts a join messages m on m.id = a.message_id where m.wamid = ${wamid}`;
      expect(attempts.map((a) => a.outcome)).toEqual(['sent']);
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ claimed: 1, marked: 0 }), expect.stringContaining('taken by another'));
    } finally {
      gate.open();
      await Promise.all([old.close(), taker.close()]);
    }
  });

  it('sends nothing of a conversation behind a message the other lane has in flight on its first attempt', async () => {
    const { stack, tenant } = made;
    const gate = statementGate();
    const real = stack.platform.ctx.graph;
    // The old lane's request to Meta waits, after its mark in flight, until the gate opens.
    const graph = new Proxy(real, {
      get(target, property) {
        if (property === 'request') return (...args: Parameters<GraphClient['request']>) => gate.hold(() => target.request(...args));
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const old = new Lane({ ...stack.platform.ctx, graph }, tenant.sandbox.phone_number_id);
    const taker = new Lane(stack.platform.ctx, tenant.sandbox.phone_number_id);
    const to = '15550901002';
    try {
      // The taker has started (its recovery found nothing in flight) before the old lane marks.
      taker.poke();
      await idle(taker);
      const first = await sendHelloWorld(stack, tenant, to);
      old.poke();
      await gate.reached; // marked in flight, not yet at Meta
      const second = await sendHelloWorld(stack, tenant, to);

      taker.poke();
      await idle(taker);
      expect(atMeta(to)).toBe(0);

      gate.open();
      await idle(old);
      taker.poke();
      await vi.waitFor(() => expectInOrderAtMeta(to, [first, second]));
    } finally {
      gate.open();
      await Promise.all([old.close(), taker.close()]);
    }
  });

  it('recovers what a lane that lost its lease left in flight unrecorded, once the grace period has passed, and sends the conversation in order', async () => {
    const { stack, tenant } = made;
    const { ctx } = stack.platform;
    const taker = new Lane(ctx, tenant.sandbox.phone_number_id);
    const to = '15550901003';
    try {
      taker.poke();
      await idle(taker);
      const first = await sendHelloWorld(stack, tenant, to);
      const second = await sendHelloWorld(stack, tenant, to);
      // The old lane marked the first and stopped: no send, no record.
      const [row] = await stack.db.sql<{ id: string }[]>`select id::text as id from messages where wamid = ${first}`;
      expect((await markInFlight(stack.db.sql, [row!.id], new Date(stack.clock.now()))).size).toBe(1);

      taker.poke();
      await idle(taker);
      expect(atMeta(to)).toBe(0);

      // Past each look (every IN_FLIGHT_CHECK_MS), through the grace period twice: the recovery, then the retry.
      await vi.waitFor(async () => {
        stack.clock.advance(5 * IN_FLIGHT_CHECK_MS);
        await expectInOrderAtMeta(to, [first, second]);
      });
      const attempts = await stack.db.sql<{ outcome: string; reason: string | null }[]>`
        select a.outcome, a.response->>'reason' as reason from message_attempts a where a.message_id = ${row!.id} order by a.id`;
      expect(attempts).toEqual([
        { outcome: 'unknown', reason: expect.stringContaining('lost its lease') },
        { outcome: 'sent', reason: null },
      ]);
    } finally {
      await taker.close();
    }
  });
});
