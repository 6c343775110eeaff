/**
 * Tenants authenticate with their API key as a bearer token, exactly where a Cloud API client puts
 * Meta's token. A short cache (5 s) keeps the lookup off the hot path; revocation takes effect
 * within that time.
 */
import type { FastifyRequest } from 'fastify';
import { invalidToken } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { apiKeyDigest } from '../tenants/api-key.js';
import { touchApiKey } from '../tenants/key-store.js';

export interface TenantPrincipal {
  tenantId: string;
  keyId: string;
}

const CACHE_MS = 5_000;
type Cache = Map<string, { principal: TenantPrincipal | undefined; until: number }>;
// Per platform instance (tests run several in one process, each on its own database).
const caches = new WeakMap<PlatformContext, Cache>();

function cacheOf(ctx: PlatformContext): Cache {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new Map()));
  return cache;
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header);
    if (match?.[1]) return match[1];
  }
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.access_token === 'string' ? query.access_token : undefined;
}

export async function authenticateTenant(ctx: PlatformContext, request: FastifyRequest): Promise<TenantPrincipal> {
  const token = bearerToken(request);
  if (!token || token.length > 200) throw invalidToken();
  const now = ctx.clock.now();
  const cache = cacheOf(ctx);
  const hit = cache.get(token);
  if (hit && hit.until > now) {
    if (!hit.principal) throw invalidToken();
    return hit.principal;
  }
  const [row] = await ctx.sql<{ id: string; tenant_id: string }[]>`
    select id, tenant_id from api_keys where digest = ${apiKeyDigest(token)} and revoked_at is null`;
  const principal = row ? { tenantId: row.tenant_id, keyId: row.id } : undefined;
  if (row) await touchApiKey(ctx.sql, row.id, new Date(now));
  if (cache.size > 10_000) cache.clear();
  cache.set(token, { principal, until: now + CACHE_MS });
  if (!principal) throw invalidToken();
  return principal;
}

/** Forgets cached keys (after a revocation in this process). */
export function forgetCachedKeys(ctx: PlatformContext): void {
  caches.delete(ctx);
}
