/**
 * The messaging-limit answer for a dry run: what limits/check-messaging-limit.ts would answer,
 * without counting the user (checkMessagingLimit admits the user as it checks, which a dry run
 * must not do). Same inputs, same rule: only a template outside the window counts; a user reached
 * in the last 24 h counts no more; a new user past the tier's limit is refused (131048) or held,
 * as the tenant chose. An unknown or unlimited tier enforces nothing.
 */
import { ErrorCode, GraphError } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { overLimitDetails } from '../limits/check-messaging-limit.js';
import { portfolioOfNumber } from '../limits/portfolio-store.js';
import { REACH_WINDOW_MS } from '../limits/sql/admit-reach.js';
import { tierLimit } from '../limits/tiers.js';
import type { NumberInfo } from '../messaging/numbers.js';
import { tenantPolicy } from './tenant-policy.js';

export async function previewMessagingLimit(ctx: PlatformContext, number: NumberInfo, waId: string, outsideWindow: boolean): Promise<'ok' | 'hold'> {
  if (!outsideWindow) return 'ok';
  const portfolio = await portfolioOfNumber(ctx.sql, number.id);
  const limit = tierLimit(portfolio?.tier);
  if (!portfolio || limit === undefined || limit === Infinity) return 'ok';
  const cutoff = new Date(ctx.clock.now() - REACH_WINDOW_MS);
  const [usage] = await ctx.sql<{ reached: boolean; users: number }[]>`
    select exists (select 1 from portfolio_reach where portfolio_id = ${portfolio.portfolioId} and wa_id = ${waId} and reached_at > ${cutoff}) as reached,
           (select count(*)::int from portfolio_reach where portfolio_id = ${portfolio.portfolioId} and reached_at > ${cutoff}) as users`;
  if (usage!.reached || usage!.users < limit) return 'ok';
  if ((await tenantPolicy(ctx, number.tenantId)).overLimit === 'hold') return 'hold';
  throw new GraphError(ErrorCode.SpamRateLimit, { details: overLimitDetails(portfolio.tier!) });
}
