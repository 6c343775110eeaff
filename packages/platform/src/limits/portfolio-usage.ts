/**
 * What a tenant sees of its portfolios' messaging limits: tier, users reached in the moving 24 h,
 * what is left, when the next slot frees, and how many messages wait for one. A portfolio is the
 * tenant's when one of its WABAs is.
 */
import type { Static } from '@sinclair/typebox';
import type { Sql } from '../db/connect.js';
import type { TenantScope } from '../api/tenant-scope.js';
import type { PortfolioUsage } from './limits-schemas.js';
import { reachUsage } from './sql/admit-reach.js';
import { tierLimit } from './tiers.js';

interface PortfolioRow {
  portfolio_id: string;
  business_id: string | null;
  tier: string | null;
  waba_ids: string[];
  phone_number_ids: string[];
  held: number;
}

export async function portfolioUsage(sql: Sql, scope: TenantScope, now: Date, portfolioIds?: string[]): Promise<Array<Static<typeof PortfolioUsage>>> {
  const rows = await sql<PortfolioRow[]>`
    select w.portfolio_id, min(w.business_id) as business_id,
      coalesce(min(p.messaging_limit_tier), max(n.messaging_limit_tier)) as tier,
      array_agg(distinct w.id order by w.id) as waba_ids,
      coalesce(array_agg(distinct n.id order by n.id) filter (where n.id is not null), '{}') as phone_number_ids,
      (select count(*)::int from send_queue q join phone_numbers hn on hn.id = q.phone_number_id join wabas hw on hw.id = hn.waba_id
        where q.held_reason is not null and hw.portfolio_id = w.portfolio_id) as held
    from wabas w
    left join portfolios p on p.id = w.portfolio_id
    left join phone_numbers n on n.waba_id = w.id
    where true
      ${scope.tenantId !== null ? sql`and w.tenant_id = ${scope.tenantId}` : sql``}
      ${portfolioIds !== undefined ? sql`and w.portfolio_id = any(${portfolioIds}::text[])` : sql``}
    group by w.portfolio_id
    order by w.portfolio_id`;
  const usage = await reachUsage(sql, rows.map((r) => r.portfolio_id), now);
  return rows.map((r) => {
    const limit = tierLimit(r.tier);
    const finite = limit !== undefined && limit !== Infinity ? limit : null;
    const u = usage.get(r.portfolio_id) ?? { users: 0, nextFreeAt: null };
    return {
      portfolio_id: r.portfolio_id,
      business_id: r.business_id,
      messaging_limit_tier: r.tier,
      limit: finite,
      unique_users_24h: u.users,
      remaining: finite === null ? null : Math.max(0, finite - u.users),
      next_capacity_at: u.nextFreeAt?.toISOString() ?? null,
      held_messages: r.held,
      waba_ids: r.waba_ids,
      phone_number_ids: r.phone_number_ids,
    };
  });
}
