/**
 * A tenant's API keys: listed by their hint (never the key or its digest), created (the key is
 * shown once), revoked. Every function takes the tenant scope; revocation is a timestamp, so a
 * revoked key stays listed for audit.
 */
import type { Sql } from '../db/connect.js';
import type { TenantScope } from '../api/tenant-scope.js';
import { apiKeyDigest, apiKeyHint, newApiKey } from './api-key.js';

export interface ApiKeyRow {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** Newest first; `after` is the id of the last key of the previous page. Fetches limit + 1 rows. */
export async function listApiKeys(sql: Sql, scope: TenantScope, page: { limit: number; after: string | undefined }): Promise<ApiKeyRow[]> {
  return sql<ApiKeyRow[]>`
    select id, tenant_id, name, prefix, created_at, last_used_at, revoked_at from api_keys
    where true
      ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}
      ${page.after !== undefined ? sql`and (created_at, id) < (select created_at, id from api_keys where id = ${page.after})` : sql``}
    order by created_at desc, id desc
    limit ${page.limit + 1}`;
}

export async function createApiKey(sql: Sql, tenantId: string, name: string, now: Date): Promise<{ row: ApiKeyRow; key: string }> {
  const key = newApiKey();
  const [row] = await sql<ApiKeyRow[]>`
    insert into api_keys (tenant_id, name, prefix, digest, created_at)
    values (${tenantId}, ${name}, ${apiKeyHint(key)}, ${apiKeyDigest(key)}, ${now})
    returning id, tenant_id, name, prefix, created_at, last_used_at, revoked_at`;
  return { row: row!, key };
}

/** Revokes a key in scope (again is a no-op); undefined when no such key is in scope. */
export async function revokeApiKey(sql: Sql, scope: TenantScope, keyId: string, now: Date): Promise<ApiKeyRow | undefined> {
  const [row] = await sql<ApiKeyRow[]>`
    update api_keys set revoked_at = coalesce(revoked_at, ${now})
    where id = ${keyId} ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}
    returning id, tenant_id, name, prefix, created_at, last_used_at, revoked_at`;
  return row;
}

/**
 * Records that a key was used. Called on authentication cache misses, so at most every few
 * seconds per key and process; the one-minute guard keeps a busy key from rewriting its row.
 */
export async function touchApiKey(sql: Sql, keyId: string, now: Date): Promise<void> {
  await sql`
    update api_keys set last_used_at = ${now}
    where id = ${keyId} and (last_used_at is null or last_used_at < ${new Date(now.getTime() - 60_000)})`;
}
