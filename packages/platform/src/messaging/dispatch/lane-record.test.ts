/**
 * A round's outcomes are Meta's answers, held by the lane alone until they are committed. When the
 * commit fails with its connection (PostgreSQL restarting: the fault suite's restart scenario had
 * 163 of 1,000 messages end as unknown outcomes this way, each waiting out the grace period), the
 * lane records them again once the pool has reconnected, and a try that may have committed before
 * its connection failed writes nothing twice.
 *
 * The connection failure is real: the lane's context lets every query through, but the transaction
 * that records the first round has its backend terminated (pg_terminate_backend) before its first
 * statement. The test holds the number's send lease, so the stack's dispatcher stays off it.
 *
 * Expired messages are failed without being marked in flight; a round of them recorded by two lanes
 * (their lease overlapped after it was lost) fails each once.
 */
import { describe, expect, it, vi } from 'vitest';
import { sendHelloWorld, sqlWith, stackWithHeldNumber } from '../../../test/stack.js';
import { recordOutcomes, type RoundOutcomes } from '../sql/record-outcomes.js';
import { Lane } from './lane.js';

describe('recording a round whose commit lost its connection', () => {
  const made = stackWithHeldNumber('Record');

  const messageOf = async (wamid: string) =>
    (await made.stack.db.sql<{ id: string; tenant_id: string; recipient: string; meta_wamid: string | null }[]>`
      select id::text as id, tenant_id, recipient, meta_wamid from messages where wamid = ${wamid}`)[0]!;
  const attemptsOf = async (id: string) =>
    (await made.stack.db.sql<{ outcome: string }[]>`select outcome from message_attempts where message_id = ${id} order by id`).map((r) => r.outcome);
  const queued = async (id: string) => (await made.stack.db.sql`select 1 from send_queue where message_id = ${id}`).length === 1;
  /** A round of the tenant's number with only these outcomes. */
  const roundOf = (outcomes: Partial<RoundOutcomes>): RoundOutcomes => ({
    phoneNumberId: made.tenant.sandbox.phone_number_id,
    wabaId: made.tenant.sandbox.waba_id,
    displayPhoneNumber: '+1 555 0100',
    sent: [],
    retried: [],
    failed: [],
    released: [],
    ...outcomes,
  });
  /** Statuses of the message queued for the tenant. */
  const tenantEvents = async (wamid: string) =>
    (await made.stack.db.sql<{ n: number }[]>`select count(*)::int as n from webhook_events where value->'statuses'->0->>'id' = ${wamid}`)[0]!.n;

  it('records it again once the pool has reconnected: sent, with no unknown outcome', async () => {
    const { stack, tenant } = made;
    const real = stack.platform.ctx.sql;
    const current: { lane?: Lane } = {};
    let terminated = false;
    const breakable = sqlWith(real, {
      begin: (fn) =>
        real.begin(async (tx) => {
          if (!terminated && current.lane?.stage?.name === 'recording outcomes') {
            terminated = true;
            const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
            await stack.db.sql`select pg_terminate_backend(${row!.pid}, 5000)`;
          }
          return fn(tx);
        }),
    });
    const ctx = { ...stack.platform.ctx, sql: breakable, logger: stack.platform.ctx.logger.child({ test: 'lane record' }) };
    const warn = vi.spyOn(ctx.logger, 'warn');
    const lane = new Lane(ctx, tenant.sandbox.phone_number_id);
    current.lane = lane;
    try {
      const wamid = await sendHelloWorld(stack, tenant, '15550601001');
      lane.poke();
      // The first try failed with its connection; the lane waits (virtual time) before the next.
      await vi.waitFor(() => expect(warn.mock.calls.some((call) => String(call[1]).includes("could not record a round's outcomes"))).toBe(true));
      expect(terminated).toBe(true);
      stack.clock.advance(1_000);
      await vi.waitFor(async () => expect(lane.busy).toBe(false));
      const message = await messageOf(wamid);
      expect(message.meta_wamid).not.toBeNull();
      expect(await attemptsOf(message.id)).toEqual(['sent']);
      expect(await queued(message.id)).toBe(false);
    } finally {
      await lane.close();
    }
  });

  it('writes nothing twice when the try that lost its connection had committed', async () => {
    const { stack, tenant } = made;
    const wamid = await sendHelloWorld(stack, tenant, '15550601002');
    const message = await messageOf(wamid);
    const at = new Date(stack.clock.now());
    const round = roundOf({
      failed: [
        {
          messageId: message.id,
          attempt: 1,
          startedAt: at,
          finishedAt: at,
          httpStatus: 400,
          metaCode: 131026,
          response: { error: { code: 131026 } },
          wamid,
          tenantId: message.tenant_id,
          recipient: message.recipient,
          code: 131026,
          details: 'Message undeliverable.',
          bizOpaqueCallbackData: undefined,
        },
      ],
    });
    await recordOutcomes(stack.db.sql, round, at);
    await recordOutcomes(stack.db.sql, round, at, true);
    expect(await attemptsOf(message.id)).toEqual(['failed']);
    expect(await tenantEvents(wamid)).toBe(1);
    expect(await queued(message.id)).toBe(false);
  });

  it('fails an expired message once when two lanes record it (their lease overlapped)', async () => {
    const { stack, tenant } = made;
    const wamid = await sendHelloWorld(stack, tenant, '15550601003');
    const message = await messageOf(wamid);
    const round = roundOf({
      expired: [{ messageId: message.id, wamid, tenantId: message.tenant_id, recipient: message.recipient, bizOpaqueCallbackData: undefined }],
    });
    const at = new Date(stack.clock.now());
    await recordOutcomes(stack.db.sql, round, at);
    await recordOutcomes(stack.db.sql, round, at);
    expect(await tenantEvents(wamid)).toBe(1);
    expect(await queued(message.id)).toBe(false);
    const [row] = await stack.db.sql<{ status: string }[]>`select status from messages where id = ${message.id}`;
    expect(row!.status).toBe('failed');
  });
});
