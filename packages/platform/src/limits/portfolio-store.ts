/**
 * Business portfolios as the limits module sees them: which portfolio a number's WABA belongs to
 * (wabas.portfolio_id: the owner business, or the WABA itself when its owner could not be read)
 * and the portfolio's messaging-limit tier. Before a portfolio's tier is known (a WABA attached
 * before the portfolio was tracked), the number's own messaging_limit_tier stands in.
 */
import type { TransactionSql } from 'postgres';
import type { Sql } from '../db/connect.js';

export interface NumberPortfolio {
  portfolioId: string;
  tier: string | null;
}

// Read for every template sent outside a window; a tier changes rarely. Kept 5 s of real time;
// setPortfolioTier in this process invalidates every copy at once (a new generation).
const PORTFOLIO_CACHE_MS = 5_000;
const portfolioCaches = new WeakMap<object, Map<string, { value: NumberPortfolio | undefined; until: number; generation: number }>>();
let generation = 0;

export async function portfolioOfNumber(sql: Sql, phoneNumberId: string): Promise<NumberPortfolio | undefined> {
  let cache = portfolioCaches.get(sql);
  if (!cache) portfolioCaches.set(sql, (cache = new Map()));
  const hit = cache.get(phoneNumberId);
  if (hit && hit.until > Date.now() && hit.generation === generation) return hit.value;
  const seen = generation;
  const value = await readPortfolioOfNumber(sql, phoneNumberId);
  if (cache.size > 10_000) cache.clear();
  cache.set(phoneNumberId, { value, until: Date.now() + PORTFOLIO_CACHE_MS, generation: seen });
  return value;
}

async function readPortfolioOfNumber(sql: Sql, phoneNumberId: string): Promise<NumberPortfolio | undefined> {
  const [row] = await sql<{ portfolio_id: string; tier: string | null }[]>`
    select w.portfolio_id, coalesce(p.messaging_limit_tier, n.messaging_limit_tier) as tier
    from phone_numbers n
    join wabas w on w.id = n.waba_id
    left join portfolios p on p.id = w.portfolio_id
    where n.id = ${phoneNumberId}`;
  return row ? { portfolioId: row.portfolio_id, tier: row.tier } : undefined;
}

/**
 * Sets a portfolio's tier (creating the portfolio) and copies it to the numbers of its WABAs, which
 * the API shows. Returns the tier it had before (null when unknown).
 */
export async function setPortfolioTier(tx: TransactionSql, portfolioId: string, tier: string, now: Date): Promise<string | null> {
  generation++;
  const [before] = await tx<{ tier: string | null }[]>`
    select messaging_limit_tier as tier from portfolios where id = ${portfolioId} for update`;
  await tx`
    insert into portfolios (id, messaging_limit_tier, tier_updated_at) values (${portfolioId}, ${tier}, ${now})
    on conflict (id) do update set messaging_limit_tier = excluded.messaging_limit_tier, tier_updated_at = excluded.tier_updated_at`;
  await tx`
    update phone_numbers set messaging_limit_tier = ${tier}
    where waba_id in (select id from wabas where portfolio_id = ${portfolioId}) and messaging_limit_tier is distinct from ${tier}`;
  return before?.tier ?? null;
}

/** The portfolio of a WABA (undefined when no tenant attached it). */
export async function portfolioOfWaba(tx: TransactionSql | Sql, wabaId: string): Promise<{ portfolioId: string; tenantId: string } | undefined> {
  const [row] = await tx<{ portfolio_id: string; tenant_id: string }[]>`select portfolio_id, tenant_id from wabas where id = ${wabaId}`;
  return row ? { portfolioId: row.portfolio_id, tenantId: row.tenant_id } : undefined;
}
