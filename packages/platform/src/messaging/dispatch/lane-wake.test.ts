/**
 * A message committed while its number's lane works out when to wake next (its NOTIFY pokes the
 * lane just then) is sent at once, not left until a later wake. The window is one query wide, so
 * the test holds that query at a gate: the number's send lease is held here (as another process
 * would hold it), so the stack's dispatcher stays off the number, and a lane of the test's own,
 * whose context lets every query through but holds the one that looks for the next due time,
 * runs it. The clock is frozen: a wake scheduled for later never comes.
 */
import { describe, expect, it, vi } from 'vitest';
import { sendHelloWorld, sqlWith, stackWithHeldNumber, statementGate, statementIncludes } from '../../../test/stack.js';
import { Lane } from './lane.js';

describe('a lane poked while it works out its next wake', () => {
  const made = stackWithHeldNumber('Wake');
  const send = (to: string) => sendHelloWorld(made.stack, made.tenant, to);
  const handedToMeta = async (wamid: string) =>
    (await made.stack.db.sql<{ n: number }[]>`select count(*)::int as n from messages where wamid = ${wamid} and meta_wamid is not null`)[0]!.n === 1;

  it('runs another round for the message committed meanwhile', async () => {
    const { stack, tenant } = made;
    const real = stack.platform.ctx.sql;
    let holdNextLook = false;
    const gate = statementGate();
    const gated = sqlWith(real, {
      query: (...args) => {
        if (!holdNextLook || !statementIncludes(args, 'least(q.available_at')) return real(...args);
        holdNextLook = false;
        return gate.hold(() => real(...args));
      },
    });
    const lane = new Lane({ ...stack.platform.ctx, sql: gated }, tenant.sandbox.phone_number_id);
    try {
      const first = await send('15550501001');
      holdNextLook = true;
      lane.poke();
      // The lane sends the first message, finds nothing more, and stops at the gate.
      await gate.reached;
      expect(await handedToMeta(first)).toBe(true);

      const second = await send('15550501002');
      lane.poke(); // what the dispatcher does on the commit's NOTIFY
      gate.open();
      await vi.waitFor(async () => expect(await handedToMeta(second)).toBe(true));
    } finally {
      gate.open();
      await lane.close();
    }
  });
});
