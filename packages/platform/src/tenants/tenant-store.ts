/** Reading tenants for the operator, and rotating a tenant's webhook signing secret. */
import type { Sql } from '../db/connect.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { newWebhookSecret } from './api-key.js';

export interface TenantRow {
  id: string;
  name: string;
  created_at: Date;
  active_keys: number;
  wabas: number;
  phone_numbers: number;
}

const tenantColumns = (sql: Sql) => sql`
  t.id, t.name, t.created_at,
  (select count(*)::int from api_keys k where k.tenant_id = t.id and k.revoked_at is null) as active_keys,
  (select count(*)::int from wabas w where w.tenant_id = t.id) as wabas,
  (select count(*)::int from phone_numbers p where p.tenant_id = t.id) as phone_numbers`;

/** Newest first; `after` is the id of the last tenant of the previous page. Fetches limit + 1 rows. */
export async function listTenants(sql: Sql, page: { limit: number; after: string | undefined }): Promise<TenantRow[]> {
  return sql<TenantRow[]>`
    select ${tenantColumns(sql)} from tenants t
    ${page.after !== undefined ? sql`where (t.created_at, t.id) < (select created_at, id from tenants where id = ${page.after})` : sql``}
    order by t.created_at desc, t.id desc
    limit ${page.limit + 1}`;
}

export async function getTenant(sql: Sql, id: string): Promise<TenantRow | undefined> {
  const [row] = await sql<TenantRow[]>`select ${tenantColumns(sql)} from tenants t where t.id = ${id}`;
  return row;
}

/** A new webhook secret, shown once; undefined when the tenant does not exist. */
export async function rotateWebhookSecret(sql: Sql, box: SecretBox, tenantId: string): Promise<string | undefined> {
  const secret = newWebhookSecret();
  const [row] = await sql`update tenants set webhook_secret_enc = ${box.seal(secret)} where id = ${tenantId} returning id`;
  return row ? secret : undefined;
}
