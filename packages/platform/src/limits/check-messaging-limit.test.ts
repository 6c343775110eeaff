/**
 * The portfolio messaging limit as a function, against a real database and a frozen clock: the
 * 250th unique user passes and the 251st is refused with 131048 (the emulator's code and words);
 * users already reached, and sends inside the window, do not count; capacity frees 24 h after a
 * user was last reached; two numbers of one portfolio share the count; sends racing for the last
 * slots are settled by the database; 'hold' answers hold instead of refusing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, GraphError } from '@switchboard/wire';
import { startApiTest, graphId, type ApiTest } from '../api/test-support.js';
import type { NumberInfo } from '../messaging/numbers.js';
import { messageTtlMs } from '../policy/check-policy.js';
import { setTenantPolicy } from '../policy/tenant-policy.js';
import { checkMessagingLimit } from './check-messaging-limit.js';
import { releaseHeld } from './release-held.js';

const HOUR = 3_600_000;
const user = (i: number) => `1555${String(i).padStart(7, '0')}`;

describe('checkMessagingLimit', () => {
  let t: ApiTest;

  beforeAll(async () => {
    t = await startApiTest();
  });
  afterAll(async () => t.close());

  /** A tenant with `count` numbers in one business portfolio of the given tier. */
  async function portfolio(tier: string, count = 1): Promise<NumberInfo[]> {
    const tenant = await t.tenant();
    const businessId = graphId();
    const numbers: NumberInfo[] = [];
    for (let i = 0; i < count; i++) {
      const { wabaId, phoneNumberId } = await t.number(tenant.tenant_id);
      await t.db.sql`update wabas set business_id = ${businessId} where id = ${wabaId}`;
      numbers.push({ id: phoneNumberId, tenantId: tenant.tenant_id, wabaId, displayPhoneNumber: '+1 555-010-0001', callingCode: '1', mps: 80 });
    }
    await t.db.sql`insert into portfolios (id, messaging_limit_tier) values (${businessId}, ${tier})`;
    return numbers;
  }

  async function refusal(promise: Promise<unknown>): Promise<GraphError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GraphError);
    return err as GraphError;
  }

  it('lets the 250th unique user through and refuses the 251st with 131048', async () => {
    const [number] = await portfolio('TIER_250');
    for (let i = 0; i < 250; i++) expect(await checkMessagingLimit(t.platform.ctx, number!, user(i), true)).toBe('ok');
    const err = await refusal(checkMessagingLimit(t.platform.ctx, number!, user(250), true));
    expect(err.code).toBe(ErrorCode.SpamRateLimit);
    expect(err.status).toBe(400);
    expect(err.details).toBe(
      'Message failed to send because the business portfolio reached its messaging limit (TIER_250) of unique users outside a customer service window in 24 hours.',
    );
    // Reached already: counts no more. Inside the window: never counts.
    expect(await checkMessagingLimit(t.platform.ctx, number!, user(17), true)).toBe('ok');
    expect(await checkMessagingLimit(t.platform.ctx, number!, user(251), false)).toBe('ok');
    const [row] = await t.db.sql<{ n: number }[]>`select reach_count as n from portfolios p join wabas w on w.portfolio_id = p.id where w.id = ${number!.wabaId}`;
    expect(row!.n).toBe(250);
  });

  it('frees a slot 24 h after a user was last reached, not after the first time', async () => {
    const [number] = await portfolio('TIER_250');
    const ctx = t.platform.ctx;
    for (let i = 0; i < 250; i++) {
      expect(await checkMessagingLimit(ctx, number!, user(i), true)).toBe('ok');
      if (i === 0) t.clock.advance(HOUR);
    }
    // User 0 was reached an hour before the others; reaching them again later moves their time.
    t.clock.advance(22 * HOUR);
    expect(await checkMessagingLimit(ctx, number!, user(0), true)).toBe('ok');
    t.clock.advance(2 * HOUR + 1);
    // Just over 24 h after users 1…249: those slots are free; user 0, reached again 2 h ago, still counts.
    for (let i = 1000; i < 1249; i++) expect(await checkMessagingLimit(ctx, number!, user(i), true)).toBe('ok');
    expect((await refusal(checkMessagingLimit(ctx, number!, user(1249), true))).code).toBe(ErrorCode.SpamRateLimit);
  });

  it('counts every number of a portfolio together', async () => {
    const [a, b] = await portfolio('TIER_250', 2);
    for (let i = 0; i < 125; i++) {
      await checkMessagingLimit(t.platform.ctx, a!, user(i), true);
      await checkMessagingLimit(t.platform.ctx, b!, user(500 + i), true);
    }
    expect(await checkMessagingLimit(t.platform.ctx, b!, user(3), true)).toBe('ok');
    expect((await refusal(checkMessagingLimit(t.platform.ctx, a!, user(999), true))).code).toBe(ErrorCode.SpamRateLimit);
  });

  it('settles sends racing for the last slots in the database: exactly the free slots are taken', async () => {
    const [number] = await portfolio('TIER_250');
    for (let i = 0; i < 240; i++) await checkMessagingLimit(t.platform.ctx, number!, user(i), true);
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => checkMessagingLimit(t.platform.ctx, number!, user(3000 + i), true)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(30);
    for (const r of refused) expect((r.reason as GraphError).code).toBe(ErrorCode.SpamRateLimit);
    // The same new user sent to twice at once takes one slot.
    const [other] = await portfolio('TIER_250');
    for (let i = 0; i < 249; i++) await checkMessagingLimit(t.platform.ctx, other!, user(i), true);
    const twice = await Promise.all([1, 2, 3].map(() => checkMessagingLimit(t.platform.ctx, other!, user(7777), true)));
    expect(twice).toEqual(['ok', 'ok', 'ok']);
    const [row] = await t.db.sql<{ n: number; rows: number }[]>`
      select p.reach_count as n, (select count(*)::int from portfolio_reach r where r.portfolio_id = p.id) as rows
      from portfolios p join wabas w on w.portfolio_id = p.id where w.id = ${other!.wabaId}`;
    expect(row).toEqual({ n: 250, rows: 250 });
  });

  it("answers 'hold' past the limit when the tenant chose to hold, and enforces nothing for unlimited or unknown tiers", async () => {
    const [held] = await portfolio('TIER_250');
    await setTenantPolicy(t.platform.ctx, held!.tenantId, { overLimit: 'hold' });
    for (let i = 0; i < 250; i++) await checkMessagingLimit(t.platform.ctx, held!, user(i), true);
    expect(await checkMessagingLimit(t.platform.ctx, held!, user(250), true)).toBe('hold');

    const [unlimited] = await portfolio('TIER_UNLIMITED');
    const [unknown] = await portfolio('TIER_NOT_SET');
    for (let i = 0; i < 300; i++) {
      expect(await checkMessagingLimit(t.platform.ctx, unlimited!, user(i), true)).toBe('ok');
      expect(await checkMessagingLimit(t.platform.ctx, unknown!, user(i), true)).toBe('ok');
    }
  });

  it('releases held messages as slots free, oldest first, and those to users already reached at once', async () => {
    const [number] = await portfolio('TIER_250');
    const ctx = t.platform.ctx;
    await setTenantPolicy(ctx, number!.tenantId, { overLimit: 'hold' });
    for (let i = 0; i < 250; i++) await checkMessagingLimit(ctx, number!, user(i), true);
    // Three held messages: two new users, then one already reached (reached after the hold).
    const hold = async (waId: string) => {
      const id = await t.message({ tenantId: number!.tenantId, phoneNumberId: number!.id, wamid: `wamid.held.${waId}`, recipient: waId });
      await t.db.sql`insert into send_queue (message_id, phone_number_id, recipient, available_at, held_reason)
                     values (${id}, ${number!.id}, ${waId}, ${new Date(t.clock.now())}, 'messaging_limit')`;
      return id;
    };
    const first = await hold(user(900));
    const second = await hold(user(901));
    await hold(user(5));
    const heldIds = async () =>
      (await t.db.sql<{ id: string }[]>`select message_id::text as id from send_queue where held_reason is not null and phone_number_id = ${number!.id} order by 1`).map(
        (r) => r.id,
      );

    const now = await releaseHeld(ctx);
    expect(now.released).toBe(1);
    expect(await heldIds()).toEqual([first, second]);
    expect(now.nextAt).toBe(t.clock.now() + 24 * HOUR);
    const [until] = await t.db.sql<{ at: Date }[]>`select held_until as at from send_queue where message_id = ${first}`;
    expect(until!.at.getTime()).toBe(now.nextAt);

    t.clock.advance(24 * HOUR);
    const later = await releaseHeld(ctx);
    expect(later.released).toBe(2);
    expect(await heldIds()).toEqual([]);
  });

  it('holds a new user behind messages already held when a slot frees, first come first served', async () => {
    const [number] = await portfolio('TIER_250');
    const ctx = t.platform.ctx;
    await setTenantPolicy(ctx, number!.tenantId, { overLimit: 'hold' });
    for (let i = 0; i < 249; i++) await checkMessagingLimit(ctx, number!, user(i), true);
    t.clock.advance(12 * HOUR);
    expect(await checkMessagingLimit(ctx, number!, user(3000), true)).toBe('ok');
    const hold = async (waId: string) => {
      const id = await t.message({ tenantId: number!.tenantId, phoneNumberId: number!.id, wamid: `wamid.fifo.${waId}`, recipient: waId });
      await t.db.sql`insert into send_queue (message_id, phone_number_id, recipient, available_at, held_reason)
                     values (${id}, ${number!.id}, ${waId}, ${new Date(t.clock.now())}, 'messaging_limit')`;
    };
    expect(await checkMessagingLimit(ctx, number!, user(900), true)).toBe('hold');
    await hold(user(900));

    // 249 slots free; the releaser has not run yet. A new user does not take one ahead of the
    // held message; a user counted already (takes no slot) goes at once.
    t.clock.advance(12 * HOUR + 1);
    expect(await checkMessagingLimit(ctx, number!, user(901), true)).toBe('hold');
    await hold(user(901));
    expect(await checkMessagingLimit(ctx, number!, user(3000), true)).toBe('ok');
    expect((await releaseHeld(ctx)).released).toBe(2);

    // Nothing held any more: a new user takes a free slot directly again.
    expect(await checkMessagingLimit(ctx, number!, user(902), true)).toBe('ok');
  });

  it('drops held messages whose time to live passed, wakes for the next one, and keeps the rest', async () => {
    const [number] = await portfolio('TIER_250');
    const ctx = t.platform.ctx;
    await setTenantPolicy(ctx, number!.tenantId, { overLimit: 'hold' });
    for (let i = 0; i < 250; i++) await checkMessagingLimit(ctx, number!, user(i), true);
    const now = t.clock.now();
    const hold = async (waId: string, ttlMs: number) => {
      const id = await t.message({ tenantId: number!.tenantId, phoneNumberId: number!.id, wamid: `wamid.ttl.${waId}`, recipient: waId });
      await t.db.sql`insert into send_queue (message_id, phone_number_id, recipient, available_at, held_reason, expires_at)
                     values (${id}, ${number!.id}, ${waId}, ${new Date(now)}, 'messaging_limit', ${new Date(now + ttlMs)})`;
      return id;
    };
    const otp = await hold(user(950), 10 * 60_000);
    const offer = await hold(user(951), 30 * 24 * HOUR);

    const first = await releaseHeld(ctx);
    expect(first).toMatchObject({ released: 0, held: 2, expired: 0, nextAt: now + 10 * 60_000 });

    t.clock.advance(10 * 60_000);
    const second = await releaseHeld(ctx);
    expect(second).toMatchObject({ released: 0, held: 1, expired: 1, nextAt: now + 24 * HOUR });
    const rows = await t.db.sql<{ id: string; status: string; queued: boolean }[]>`
      select m.id::text as id, m.status, exists (select from send_queue q where q.message_id = m.id) as queued
      from messages m where m.id in (${otp}, ${offer}) order by m.id`;
    expect(rows).toEqual([
      { id: otp, status: 'failed', queued: false },
      { id: offer, status: 'accepted', queued: true },
    ]);
    const [status] = await t.db.sql<{ status: string; errors: unknown }[]>`select status, errors from message_statuses where message_id = ${otp}`;
    expect(status).toEqual({ status: 'failed', errors: [{ code: 131048 }] });
    const [event] = await t.db.sql<{ value: { statuses: unknown[] } }[]>`select value from webhook_events where tenant_id = ${number!.tenantId}`;
    expect(event!.value.statuses[0]).toMatchObject({ id: `wamid.ttl.${user(950)}`, status: 'failed', errors: [{ code: 131048 }] });
    expect(ctx.metrics.render()).toMatch(/^switchboard_messages_failed_total\{code="131048"\} 1$/m);
  });

  it("gives a message Meta's time to live: 30 days, 10 minutes for authentication, or the template's own", () => {
    expect(messageTtlMs(undefined)).toBe(30 * 24 * HOUR);
    expect(messageTtlMs({ category: 'marketing', ttlSeconds: null })).toBe(30 * 24 * HOUR);
    expect(messageTtlMs({ category: 'authentication', ttlSeconds: null })).toBe(10 * 60_000);
    expect(messageTtlMs({ category: 'utility', ttlSeconds: 3_600 })).toBe(HOUR);
  });
});
