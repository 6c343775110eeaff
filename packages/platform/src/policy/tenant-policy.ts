/**
 * A tenant's policy settings (table tenant_policy; no row means the defaults), read by every
 * check of the send pipeline — the window here, opt-in and the messaging limit in their modules —
 * and changed with PUT /api/v1/policy.
 *
 * Read from the database on every call (one primary-key lookup), not cached: a tenant that
 * switches to 'hold' or requires opt-in expects the very next send, on any platform process, to
 * follow the new rule.
 *
 * @example
 *   const { windowEnforcement } = await tenantPolicy(ctx, number.tenantId);
 *   if (windowEnforcement === 'platform' && !window.open) throw reEngagement();
 */
import type { Sql } from '../db/connect.js';
import type { PlatformContext } from '../context.js';

export interface TenantPolicy {
  /** Who refuses free-form messages outside the 24 h window: the platform (sync) or Meta (async). */
  windowEnforcement: 'platform' | 'meta';
  /** Marketing templates only to contacts whose subscription is TRUE (default: all but FALSE). */
  requireOptInForMarketing: boolean;
  /** Past the portfolio messaging limit: refuse with 131048, or hold the message until capacity frees. */
  overLimit: 'refuse' | 'hold';
}

export const DEFAULT_TENANT_POLICY: Readonly<TenantPolicy> = Object.freeze({
  windowEnforcement: 'platform',
  requireOptInForMarketing: false,
  overLimit: 'refuse',
});

export interface StoredTenantPolicy extends TenantPolicy {
  /** When the tenant last changed its settings; null while it has the defaults. */
  updatedAt: Date | null;
}

interface PolicyRow {
  window_enforcement: 'platform' | 'meta';
  require_opt_in_for_marketing: boolean;
  over_limit: 'refuse' | 'hold';
  updated_at: Date;
}

function fromRow(row: PolicyRow | undefined): StoredTenantPolicy {
  if (!row) return { ...DEFAULT_TENANT_POLICY, updatedAt: null };
  return {
    windowEnforcement: row.window_enforcement,
    requireOptInForMarketing: row.require_opt_in_for_marketing,
    overLimit: row.over_limit,
    updatedAt: row.updated_at,
  };
}

export async function readTenantPolicy(sql: Sql, tenantId: string): Promise<StoredTenantPolicy> {
  const [row] = await sql<PolicyRow[]>`
    select window_enforcement, require_opt_in_for_marketing, over_limit, updated_at
    from tenant_policy where tenant_id = ${tenantId}`;
  return fromRow(row);
}

// Settings are read on every send and change rarely: kept for 5 s (another process's change takes
// effect within that; this process's at once).
const CACHE_MS = 5_000;
const caches = new WeakMap<PlatformContext, Map<string, { policy: TenantPolicy; until: number }>>();

export async function tenantPolicy(ctx: PlatformContext, tenantId: string): Promise<TenantPolicy> {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new Map()));
  const now = ctx.clock.now();
  const hit = cache.get(tenantId);
  if (hit && hit.until > now) return hit.policy;
  const { updatedAt: _, ...policy } = await readTenantPolicy(ctx.sql, tenantId);
  if (cache.size > 10_000) cache.clear();
  cache.set(tenantId, { policy, until: now + CACHE_MS });
  return policy;
}

/** Changes the settings given, keeps the others; returns the result. */
export async function setTenantPolicy(ctx: PlatformContext, tenantId: string, change: Partial<TenantPolicy>): Promise<StoredTenantPolicy> {
  const now = new Date(ctx.clock.now());
  const d = DEFAULT_TENANT_POLICY;
  const [row] = await ctx.sql<PolicyRow[]>`
    insert into tenant_policy (tenant_id, window_enforcement, require_opt_in_for_marketing, over_limit, updated_at)
    values (${tenantId}, ${change.windowEnforcement ?? d.windowEnforcement},
            ${change.requireOptInForMarketing ?? d.requireOptInForMarketing}, ${change.overLimit ?? d.overLimit}, ${now})
    on conflict (tenant_id) do update set
      window_enforcement = ${change.windowEnforcement ?? ctx.sql`tenant_policy.window_enforcement`},
      require_opt_in_for_marketing = ${change.requireOptInForMarketing ?? ctx.sql`tenant_policy.require_opt_in_for_marketing`},
      over_limit = ${change.overLimit ?? ctx.sql`tenant_policy.over_limit`},
      updated_at = excluded.updated_at
    returning window_enforcement, require_opt_in_for_marketing, over_limit, updated_at`;
  caches.get(ctx)?.delete(tenantId);
  return fromRow(row);
}
