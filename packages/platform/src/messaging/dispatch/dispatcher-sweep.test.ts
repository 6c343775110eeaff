/**
 * The sweep is the dispatcher's safety net for wake-ups that never came. A number whose lane is
 * idle (it found nothing to send and scheduled no wake) is woken only by a commit's NOTIFY; one
 * lost with the LISTEN connection (PostgreSQL restarting, while the listener reconnects with
 * backoff) left the message queued for good when the sweep woke only numbers without a lane — the
 * fault suite's PostgreSQL restart scenario lost messages this way (one number's, queued, due,
 * never attempted). Here a dispatcher of the test's own never hears a NOTIFY; it takes the
 * number's lease first, so the stack's dispatcher (which does hear them) cannot send from it.
 *
 * The sweep also retires idle lanes of numbers with nothing queued, once their recipients' pair
 * budgets are whole: the lease goes back, and the next lane (here or in another process) starts
 * with whole budgets without sending past Meta's pair rate.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sendHelloWorld, sqlWith, startStack, statementIncludes, type Stack, type TenantWithNumber } from '../../../test/stack.js';
import type { PlatformContext } from '../../context.js';
import { Metrics } from '../../metrics/metrics.js';
import { Dispatcher } from './dispatcher.js';

describe('the dispatcher sweep', () => {
  let stack: Stack;
  let tenant: TenantWithNumber;
  let deaf: Dispatcher;
  let ctx: PlatformContext;
  /** While set, the deaf dispatcher's claim queries wait for it (a query that does not answer). */
  let claimGate: Promise<void> | undefined;
  beforeAll(async () => {
    stack = await startStack();
    tenant = await stack.tenantWithNumber('Sweep');
    const real = stack.platform.ctx;
    const sql = sqlWith(real.sql, {
      query: (...args) => {
        const gate = claimGate;
        return gate && statementIncludes(args, 'order by q.message_id') ? gate.then(() => real.sql(...args)) : real.sql(...args);
      },
      // Subscribed, but no notification ever arrives.
      listen: async () => ({ state: {}, unlisten: async () => undefined }),
    });
    // Metrics of its own: the stack's dispatcher sets the same gauges on its sweeps.
    ctx = { ...real, sql, logger: real.logger.child({ test: 'deaf dispatcher' }), metrics: new Metrics() };
    // No timed sweep: the test sweeps when it means to.
    deaf = new Dispatcher(ctx, { sweepMs: null });
    await deaf.start();
  });
  afterAll(async () => {
    await deaf.close();
    await stack.close();
  });

  const send = (owner: TenantWithNumber, to: string) => sendHelloWorld(stack, owner, to);
  const handedToMeta = async (wamid: string) =>
    (await stack.db.sql<{ n: number }[]>`select count(*)::int as n from messages where wamid = ${wamid} and meta_wamid is not null`)[0]!.n === 1;

  it('has an idle lane look again when its number has queued work, and says a wake-up was missed', async () => {
    const phoneNumberId = tenant.sandbox.phone_number_id;
    const warn = vi.spyOn(ctx.logger, 'warn');
    // The deaf dispatcher takes the lease; its lane finds nothing and goes idle.
    await deaf.wake(phoneNumberId);
    await vi.waitFor(() => expect(deaf.lanes()).toEqual([{ phoneNumberId, busy: false, stage: undefined }]));

    const wamid = await send(tenant, '15550601001');
    // Nothing sends it: the stack's dispatcher cannot take the lease, the deaf one never heard of it.
    expect(deaf.lanes()).toEqual([{ phoneNumberId, busy: false, stage: undefined }]);
    expect(await handedToMeta(wamid)).toBe(false);

    await deaf.sweep();
    await vi.waitFor(async () => expect(await handedToMeta(wamid)).toBe(true));
    expect(warn).toHaveBeenCalledWith({ phone_number_id: phoneNumberId }, expect.stringContaining('a wake-up was missed'));
  });

  it('reports a lane whose step has not ended in two minutes, and what it waits for', async () => {
    const other = await stack.tenantWithNumber('Stuck');
    const phoneNumberId = other.sandbox.phone_number_id;
    const error = vi.spyOn(ctx.logger, 'error');
    let open!: () => void;
    claimGate = new Promise<void>((resolve) => (open = resolve));
    try {
      await deaf.wake(phoneNumberId);
      await vi.waitFor(() => expect(deaf.lanes().find((l) => l.phoneNumberId === phoneNumberId)?.stage?.name).toBe('claiming'));
      await deaf.sweep();
      expect(error).not.toHaveBeenCalledWith(expect.objectContaining({ phone_number_id: phoneNumberId }), 'send lane is stuck');

      expect(ctx.metrics.render()).toContain('\nswitchboard_send_lanes_stuck 0\n');

      stack.clock.advance(121_000);
      await deaf.sweep();
      expect(error).toHaveBeenCalledWith({ phone_number_id: phoneNumberId, waiting_ms: 121_000, stage: 'claiming' }, 'send lane is stuck');
      expect(ctx.metrics.render()).toContain('\nswitchboard_send_lanes_stuck 1\n');
    } finally {
      claimGate = undefined;
      open();
    }
    await vi.waitFor(() => expect(deaf.lanes().find((l) => l.phoneNumberId === phoneNumberId)?.busy).toBe(false));
    await deaf.sweep();
    expect(ctx.metrics.render()).toContain('\nswitchboard_send_lanes_stuck 0\n');
  });

  it('retires an idle lane once its recipients\' pair budgets are whole, and gives its lease back', async () => {
    const third = await stack.tenantWithNumber('Retire');
    const phoneNumberId = third.sandbox.phone_number_id;
    const leased = async () =>
      (
        await stack.db.sql<{ n: number }[]>`
          select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and objid = hashtext(${phoneNumberId})::oid`
      )[0]!.n;
    const laneOf = () => deaf.lanes().find((l) => l.phoneNumberId === phoneNumberId);

    // A lane with nothing queued and no budget spent goes at the next sweep.
    await deaf.wake(phoneNumberId);
    await vi.waitFor(() => expect(laneOf()).toEqual({ phoneNumberId, busy: false, stage: undefined }));
    expect(await leased()).toBe(1);
    await deaf.sweep();
    expect(laneOf()).toBeUndefined();
    expect(await leased()).toBe(0);

    // One send spends one of the recipient's 45: the lane stays until the budget is whole (6 s).
    await deaf.wake(phoneNumberId);
    await vi.waitFor(() => expect(laneOf()).toEqual({ phoneNumberId, busy: false, stage: undefined }));
    const wamid = await send(third, '15550601003');
    await deaf.sweep(); // sends it (the deaf dispatcher missed the NOTIFY)
    await vi.waitFor(async () => expect(await handedToMeta(wamid)).toBe(true));
    await vi.waitFor(() => expect(laneOf()?.busy).toBe(false));
    await deaf.sweep();
    expect(laneOf()).toBeDefined();
    expect(await leased()).toBe(1);

    stack.clock.advance(5_000);
    await deaf.sweep();
    expect(laneOf()).toBeDefined();
    stack.clock.advance(1_000);
    await deaf.sweep();
    expect(laneOf()).toBeUndefined();
    expect(await leased()).toBe(0);
  });

  it('leaves a number another process holds to it for a second of NOTIFYs, then tries its lease again', async () => {
    const fourth = await stack.tenantWithNumber('Elsewhere');
    const phoneNumberId = fourth.sandbox.phone_number_id;
    const other = new Dispatcher(stack.platform.ctx, { sweepMs: null });
    await other.start();
    const has = (d: Dispatcher) => d.lanes().some((l) => l.phoneNumberId === phoneNumberId);
    try {
      await deaf.wake(phoneNumberId);
      expect(has(deaf)).toBe(true);
      await other.wake(phoneNumberId); // held by the deaf dispatcher
      expect(has(other)).toBe(false);

      await vi.waitFor(() => expect(deaf.lanes().find((l) => l.phoneNumberId === phoneNumberId)?.busy).toBe(false));
      await deaf.sweep(); // nothing queued, no budget spent: retired, the lease released
      expect(has(deaf)).toBe(false);
      await other.wake(phoneNumberId);
      expect(has(other)).toBe(false); // not tried again within the second

      stack.clock.advance(1_000);
      await other.wake(phoneNumberId);
      expect(has(other)).toBe(true);
    } finally {
      await other.close();
    }
  });
});
