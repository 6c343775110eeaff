/**
 * Releases messages held by the messaging limit (tenants whose over-limit choice is 'hold'): the
 * accept path queued them with send_queue.held_reason set, which the dispatcher skips. For each
 * portfolio with held messages, oldest first, a message is released when
 * - its user opened a window with the number meanwhile (in-window messages do not count), or
 * - its user is counted already (reached in the last 24 h), or
 * - a slot is free: the user is counted now (sql/admit-reach.ts, the same rule as a send);
 * or when the tier became unlimited or unknown. Released rows lose held_reason and wake the
 * dispatcher; the others get held_until = when the portfolio's oldest counted user leaves the
 * window, and the releaser wakes again then (on the platform clock). Before any release, held
 * messages whose time to live has passed are dropped with a `failed` status (sql/expire-held.ts),
 * and the releaser also wakes when the next one expires.
 *
 * Wakes: a NOTIFY when a hold is queued or a tier changes, the timer for the next freed slot, and
 * a slow sweep. Several processes may run it: a user admitted twice is counted once, and clearing
 * a hold twice changes nothing.
 */
import { ErrorCode } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { SEND_CHANNEL } from '../messaging/sql/insert-accepted.js';
import { HOLD_CHANNEL } from './hold-channel.js';
import { admitReach, reachUsage, REACH_WINDOW_MS } from './sql/admit-reach.js';
import { expireHeld, nextHeldExpiry } from './sql/expire-held.js';
import { tierLimit } from './tiers.js';
import { startWakeLoop, type WakeLoop } from './wake-loop.js';

const BATCH = 500;
const SWEEP_MS = 60_000;

interface HeldRow {
  message_id: string;
  phone_number_id: string;
  recipient: string;
  in_window: boolean;
}

export interface ReleaseResult {
  released: number;
  held: number;
  /** Dropped: still held when their time to live passed. */
  expired: number;
  /** When the next slot frees for a portfolio that still holds messages, or the next held message expires. */
  nextAt: number | undefined;
}

export async function startHoldReleaser(ctx: PlatformContext): Promise<WakeLoop> {
  const loop: WakeLoop = await startWakeLoop(ctx, {
    channel: HOLD_CHANNEL,
    sweepMs: SWEEP_MS,
    name: 'held message releaser',
    run: async () => {
      const { nextAt } = await releaseHeld(ctx);
      if (nextAt !== undefined) loop.wakeAt(nextAt);
    },
  });
  return loop;
}

export async function releaseHeld(ctx: PlatformContext): Promise<ReleaseResult> {
  const result: ReleaseResult = { released: 0, held: 0, expired: await expireHeld(ctx.sql, new Date(ctx.clock.now())), nextAt: undefined };
  if (result.expired > 0) {
    ctx.logger.info({ expired: result.expired }, 'held messages dropped: their time to live passed');
    ctx.metrics.failed.inc({ code: String(ErrorCode.SpamRateLimit) }, result.expired);
  }
  // Planned at each run, not prepared (see numbersWithWork in messaging/sql/claim-batch.ts).
  const portfolios = await ctx.sql<{ portfolio_id: string; tier: string | null }[]>`
    select distinct w.portfolio_id, coalesce(p.messaging_limit_tier, n.messaging_limit_tier) as tier
    from send_queue q
    join phone_numbers n on n.id = q.phone_number_id
    join wabas w on w.id = n.waba_id
    left join portfolios p on p.id = w.portfolio_id
    where q.held_reason is not null`.simple();
  for (const portfolio of portfolios) {
    const { released, held } = await releasePortfolio(ctx, portfolio.portfolio_id, tierLimit(portfolio.tier));
    result.released += released;
    result.held += held;
    if (held > 0) {
      const now = new Date(ctx.clock.now());
      const usage = (await reachUsage(ctx.sql, [portfolio.portfolio_id], now)).get(portfolio.portfolio_id);
      // Nothing counted yet a full portfolio: a tier of 0 slots; look again after a full window.
      const nextAt = usage?.nextFreeAt?.getTime() ?? now.getTime() + REACH_WINDOW_MS;
      await ctx.sql`
        update send_queue q set held_until = ${new Date(nextAt)}
        from phone_numbers n join wabas w on w.id = n.waba_id
        where q.held_reason is not null and n.id = q.phone_number_id and w.portfolio_id = ${portfolio.portfolio_id}`;
      result.nextAt = Math.min(result.nextAt ?? Infinity, nextAt);
    }
  }
  if (result.held > 0) result.nextAt = Math.min(result.nextAt!, (await nextHeldExpiry(ctx.sql)) ?? Infinity);
  return result;
}

async function releasePortfolio(ctx: PlatformContext, portfolioId: string, limit: number | undefined): Promise<{ released: number; held: number }> {
  let released = 0;
  let held = 0;
  let full = false;
  let after = '0';
  for (;;) {
    const now = new Date(ctx.clock.now());
    const windowStart = new Date(now.getTime() - REACH_WINDOW_MS);
    const rows = await ctx.sql<HeldRow[]>`
      select q.message_id::text as message_id, q.phone_number_id, q.recipient,
        coalesce(c.last_inbound_at > ${windowStart}, false) as in_window
      from send_queue q
      join phone_numbers n on n.id = q.phone_number_id
      join wabas w on w.id = n.waba_id
      left join conversations c on c.phone_number_id = q.phone_number_id and c.wa_id = q.recipient
      where q.held_reason is not null and w.portfolio_id = ${portfolioId} and q.message_id > ${after}::bigint
      order by q.message_id
      limit ${BATCH}`;
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.message_id;
    const free: HeldRow[] = [];
    for (const row of rows) {
      if (row.in_window || limit === undefined || limit === Infinity) {
        free.push(row);
        continue;
      }
      const admission = await admitReach(ctx.sql, portfolioId, row.recipient, limit, now, !full);
      if (admission === 'over') {
        full = true;
        held++;
      } else {
        free.push(row);
      }
    }
    if (free.length > 0) {
      await ctx.sql.begin(async (tx) => {
        await tx`
          update send_queue set held_reason = null, held_until = null, available_at = ${now}
          where message_id = any(${free.map((r) => r.message_id)}::bigint[]) and held_reason is not null`;
        await tx`select pg_notify(${SEND_CHANNEL}, n) from unnest(${[...new Set(free.map((r) => r.phone_number_id))]}::text[]) as n`;
      });
      released += free.length;
    }
    if (rows.length < BATCH) break;
  }
  return { released, held };
}
