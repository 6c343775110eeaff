/**
 * When the lease connection's session is replaced (PostgreSQL restarted, the connection dropped),
 * every lease it held is gone and the dispatcher stops its lanes. A lane may be recording its last
 * round just then (or trying again until the database is back). The number gets no new lane until
 * that round is recorded — a new lane's first step recovers messages still marked in flight as
 * unknown outcomes, held back for the grace period — and then gets one at once if work was
 * committed meanwhile (its NOTIFY was ignored).
 *
 * The dispatcher looks at its lease session every second (virtual time), so a lease lost while the
 * number is idle is noticed without waiting for the sweep.
 *
 * The stack runs no workers, so the test's dispatcher is the only one; its recording transaction
 * waits at a gate while its lease connection's backend is terminated.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sendHelloWorld, sqlWith, startStack, statementGate, type Stack, type TenantWithNumber } from '../../../test/stack.js';
import type { PlatformContext } from '../../context.js';
import { Dispatcher } from './dispatcher.js';

describe('a lost send lease', () => {
  let stack: Stack;
  let tenant: TenantWithNumber;
  beforeAll(async () => {
    stack = await startStack({ workers: false });
    tenant = await stack.tenantWithNumber('Lease');
  });
  afterAll(async () => stack.close());

  const attemptsOf = async (wamid: string) =>
    (
      await stack.db.sql<{ outcome: string }[]>`
        select a.outcome from message_attempts a join messages m on m.id = a.message_id where m.wamid = ${wamid} order by a.id`
    ).map((r) => r.outcome);
  const handedToMeta = async (wamid: string) =>
    (await stack.db.sql<{ n: number }[]>`select count(*)::int as n from messages where wamid = ${wamid} and meta_wamid is not null`)[0]!.n === 1;

  it('gives the number a new lane only once that round is recorded, then at once for work committed meanwhile', async () => {
    const phoneNumberId = tenant.sandbox.phone_number_id;
    const real = stack.platform.ctx.sql;
    const current: { dispatcher?: Dispatcher } = {};
    let gated = true;
    const gate = statementGate();
    const sql = sqlWith(real, {
      begin: (fn) => {
        const recording = current.dispatcher?.lanes().some((l) => l.stage?.name === 'recording outcomes');
        if (!gated || !recording) return real.begin(fn);
        gated = false;
        return gate.hold(() => real.begin(fn));
      },
    });
    const ctx: PlatformContext = { ...stack.platform.ctx, sql, logger: stack.platform.ctx.logger.child({ test: 'lease lost' }) };
    const warn = vi.spyOn(ctx.logger, 'warn');
    const dispatcher = new Dispatcher(ctx, { sweepMs: null });
    current.dispatcher = dispatcher;
    await dispatcher.start();
    try {
      const first = await sendHelloWorld(stack, tenant, '15550801001');
      await dispatcher.wake(phoneNumberId);
      await gate.reached; // sent to Meta; its outcome waits to be recorded

      await stack.db.sql`
        select pg_terminate_backend(pid, 5000) from pg_locks
        where locktype = 'advisory' and granted and objid = hashtext(${phoneNumberId})::oid`;
      await vi.waitFor(async () => {
        await dispatcher.sweep();
        expect(warn).toHaveBeenCalledWith(expect.anything(), expect.stringContaining('send lease session was replaced'));
      });
      // The number has work (the message in flight), but its lane is still stopping.
      expect(dispatcher.lanes()).toEqual([]);
      const second = await sendHelloWorld(stack, tenant, '15550801002');
      await dispatcher.wake(phoneNumberId); // what its NOTIFY does
      await dispatcher.sweep();
      expect(dispatcher.lanes()).toEqual([]);
      // A stopping lane whose last step does not end is reported as any other.
      const error = vi.spyOn(ctx.logger, 'error');
      stack.clock.advance(121_000);
      await dispatcher.sweep();
      expect(error).toHaveBeenCalledWith({ phone_number_id: phoneNumberId, waiting_ms: 121_000, stage: 'recording outcomes' }, 'send lane is stuck');

      gate.open();
      await vi.waitFor(async () => expect(await handedToMeta(second)).toBe(true));
      expect(await attemptsOf(first)).toEqual(['sent']);
      expect(await attemptsOf(second)).toEqual(['sent']);
    } finally {
      gate.open();
      await dispatcher.close();
    }
  });

  it('notices a lost lease within a second without a sweep, and takes the number again on its next work', async () => {
    const phoneNumberId = tenant.sandbox.phone_number_id;
    const ctx: PlatformContext = { ...stack.platform.ctx, logger: stack.platform.ctx.logger.child({ test: 'lease check' }) };
    const warn = vi.spyOn(ctx.logger, 'warn');
    const leaseHolder = async () =>
      (
        await stack.db.sql<{ pid: number }[]>`
          select pid from pg_locks where locktype = 'advisory' and granted and objid = hashtext(${phoneNumberId})::oid`
      )[0]?.pid;
    const dispatcher = new Dispatcher(ctx, { sweepMs: null });
    await dispatcher.start();
    try {
      const first = await sendHelloWorld(stack, tenant, '15550801003');
      await dispatcher.wake(phoneNumberId);
      await vi.waitFor(async () => expect(await handedToMeta(first)).toBe(true));
      const before = await leaseHolder();
      expect(before).toBeDefined();

      await stack.db.sql`select pg_terminate_backend(${before!}, 5000)`;
      expect(dispatcher.lanes().map((l) => l.phoneNumberId)).toEqual([phoneNumberId]);
      // A check may meet the closing connection and fail ("could not check"); the next, a second later, reconnects.
      await vi.waitFor(() => {
        stack.clock.advance(1_000);
        expect(warn).toHaveBeenCalledWith(expect.anything(), expect.stringContaining('send lease session was replaced'));
      });
      await vi.waitFor(() => expect(dispatcher.lanes()).toEqual([]));

      const second = await sendHelloWorld(stack, tenant, '15550801004'); // its NOTIFY wakes the number
      await vi.waitFor(async () => expect(await handedToMeta(second)).toBe(true));
      const after = await leaseHolder();
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
    } finally {
      await dispatcher.close();
    }
  });
});
