/**
 * Two lanes of one number at once: for a moment after a lease passes to another process (the old
 * holder's lease connection dropped and its dispatcher has not yet noticed), the old lane runs on
 * beside the new one, and both may claim the same queued message. Only the lane whose mark in
 * flight took it sends it; Meta gets it once.
 *
 * The test holds the number's send lease, so the stack's dispatcher stays off it, and runs two
 * lanes of its own: the first claims the message and waits before its mark until the second has
 * sent it.
 */
import { describe, expect, it, vi } from 'vitest';
import { sendHelloWorld, sqlWith, stackWithHeldNumber, statementGate, statementIncludes } from '../../../test/stack.js';
import { Lane } from './lane.js';

describe('two lanes of one number at once', () => {
  const made = stackWithHeldNumber('Overlap');

  const atMeta = (to: string) => [...made.stack.emulator.ctx.state.messages.values()].filter((m) => m.direction === 'outbound' && m.waId === to).length;

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
});
