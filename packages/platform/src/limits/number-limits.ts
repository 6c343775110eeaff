/** The portfolio messaging limit of each number of a page, for /api/v1/phone-numbers (one query for the page). */
import type { Static } from '@sinclair/typebox';
import type { Sql } from '../db/connect.js';
import type { NumberMessagingLimit } from './limits-schemas.js';
import { portfolioUsage } from './portfolio-usage.js';

export type NumberLimits = Map<string, Static<typeof NumberMessagingLimit>>;

export async function numberLimits(sql: Sql, numbers: Array<{ portfolio_id: string }>, now: Date): Promise<NumberLimits> {
  const ids = [...new Set(numbers.map((n) => n.portfolio_id))];
  if (ids.length === 0) return new Map();
  const usage = await portfolioUsage(sql, { tenantId: null }, now, ids);
  return new Map(
    usage.map((u) => [
      u.portfolio_id,
      {
        portfolio_id: u.portfolio_id,
        tier: u.messaging_limit_tier,
        limit: u.limit,
        unique_users_24h: u.unique_users_24h,
        remaining: u.remaining,
        next_capacity_at: u.next_capacity_at,
      },
    ]),
  );
}

/** A number whose portfolio has no usage row yet. */
export function unknownLimit(portfolioId: string, tier: string | null): Static<typeof NumberMessagingLimit> {
  return { portfolio_id: portfolioId, tier, limit: null, unique_users_24h: 0, remaining: null, next_capacity_at: null };
}
