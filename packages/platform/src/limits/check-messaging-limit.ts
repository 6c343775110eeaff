/**
 * The portfolio messaging limit, checked before a send is accepted (the policy pipeline calls it,
 * last, so that a send refused for another reason takes no slot — as at Meta, where 131050 and
 * 131049 are decided before the limit).
 *
 * Only business-initiated messages count: the caller passes `outsideWindow` true for a template
 * sent while the user's 24 h window with the number is closed. A user reached in the last 24 h
 * does not count again. Past the limit the tenant's policy decides (tenantPolicy.overLimit):
 * - 'refuse': Meta's 131048 now, with the emulator's words — the code Meta would put in the
 *   `failed` status later (limits/messaging-limit.ts in the emulator explains the code);
 * - 'hold': 'hold' — the accept path queues the message held; the releaser (release-held.ts)
 *   counts the user and lets the dispatcher send it once a slot frees. While messages are held,
 *   a send to a user not counted yet is held behind them even if a slot has just freed.
 * Tiers come from attach/sync reads and Meta's webhooks; an unknown or unlimited tier enforces
 * nothing (and records nothing: Meta's own count is then the only one).
 *
 * @example
 *   if ((await checkMessagingLimit(ctx, number, waId, true)) === 'hold') row.held = true;
 */
import { ErrorCode, GraphError } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import type { Sql } from '../db/connect.js';
import type { NumberInfo } from '../messaging/numbers.js';
import { tenantPolicy, type TenantPolicy } from '../policy/tenant-policy.js';
import { portfolioOfNumber } from './portfolio-store.js';
import { admitReach } from './sql/admit-reach.js';
import { tierLimit } from './tiers.js';

export function overLimitDetails(tier: string): string {
  return `Message failed to send because the business portfolio reached its messaging limit (${tier}) of unique users outside a customer service window in 24 hours.`;
}

/** @param overLimit the tenant's choice, when the caller has read its policy already; read here otherwise. */
export async function checkMessagingLimit(
  ctx: PlatformContext,
  number: NumberInfo,
  waId: string,
  outsideWindow: boolean,
  overLimit?: TenantPolicy['overLimit'],
): Promise<'ok' | 'hold'> {
  if (!outsideWindow) return 'ok';
  const portfolio = await portfolioOfNumber(ctx.sql, number.id);
  const limit = tierLimit(portfolio?.tier);
  if (!portfolio || limit === undefined || limit === Infinity) return 'ok';
  const hold = (overLimit ?? (await tenantPolicy(ctx, number.tenantId)).overLimit) === 'hold';
  // First come, first served: while the portfolio holds messages, a user not counted yet waits
  // behind them (the releaser gives each freed slot to the oldest), instead of taking a slot that
  // frees before the releaser runs. A user counted already takes no slot and goes at once.
  const behindHeld = hold && (await portfolioHoldsMessages(ctx.sql, portfolio.portfolioId));
  const admission = await admitReach(ctx.sql, portfolio.portfolioId, waId, limit, new Date(ctx.clock.now()), !behindHeld);
  if (admission !== 'over') return 'ok';
  if (hold) return 'hold';
  throw new GraphError(ErrorCode.SpamRateLimit, { details: overLimitDetails(portfolio.tier!) });
}

async function portfolioHoldsMessages(sql: Sql, portfolioId: string): Promise<boolean> {
  const [row] = await sql<{ held: boolean }[]>`
    select exists (
      select from send_queue q
      join phone_numbers n on n.id = q.phone_number_id
      join wabas w on w.id = n.waba_id
      where q.held_reason is not null and w.portfolio_id = ${portfolioId}) as held`;
  return row!.held;
}
