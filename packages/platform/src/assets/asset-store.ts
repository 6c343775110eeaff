/**
 * Reads of WABAs and phone numbers, scoped by tenant. Pages are newest first, keyset on
 * (created_at, id) of the last item of the previous page.
 */
import type { Sql } from '../db/connect.js';
import type { TenantScope } from '../api/tenant-scope.js';

export interface PhoneNumberRow {
  id: string;
  waba_id: string;
  tenant_id: string;
  display_phone_number: string;
  verified_name: string | null;
  status: string | null;
  quality_rating: string | null;
  mps: number;
  throughput_level: string | null;
  messaging_limit_tier: string | null;
  created_at: Date;
  synced_at: Date | null;
  /** The last phone_number_quality_update event and when health last changed (limits/). */
  quality_event: string | null;
  health_updated_at: Date | null;
  /** The business portfolio whose messaging limit the number shares. */
  portfolio_id: string;
}

export interface WabaRow {
  id: string;
  tenant_id: string;
  name: string | null;
  created_at: Date;
  synced_at: Date | null;
}

export interface WabaView extends WabaRow {
  numbers: PhoneNumberRow[];
}

const phoneColumns = (sql: Sql) => sql`
  id, waba_id, tenant_id, display_phone_number, verified_name, status, quality_rating, mps, throughput_level,
  messaging_limit_tier, created_at, synced_at, quality_event, health_updated_at,
  (select w.portfolio_id from wabas w where w.id = phone_numbers.waba_id) as portfolio_id`;

async function withNumbers(sql: Sql, wabas: WabaRow[]): Promise<WabaView[]> {
  if (wabas.length === 0) return [];
  const numbers = await sql<PhoneNumberRow[]>`
    select ${phoneColumns(sql)} from phone_numbers where waba_id = any(${wabas.map((w) => w.id)}::text[]) order by created_at, id`;
  return wabas.map((w) => ({ ...w, numbers: numbers.filter((n) => n.waba_id === w.id) }));
}

/** Fetches limit + 1 WABAs so the caller knows whether there is a next page. */
export async function listWabas(sql: Sql, scope: TenantScope, page: { limit: number; after: string | undefined }): Promise<WabaView[]> {
  const rows = await sql<WabaRow[]>`
    select id, tenant_id, name, created_at, synced_at from wabas
    where true
      ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}
      ${page.after !== undefined ? sql`and (created_at, id) < (select created_at, id from wabas where id = ${page.after})` : sql``}
    order by created_at desc, id desc
    limit ${page.limit + 1}`;
  return withNumbers(sql, rows);
}

export async function findWaba(sql: Sql, scope: TenantScope, id: string): Promise<WabaView | undefined> {
  const rows = await sql<WabaRow[]>`
    select id, tenant_id, name, created_at, synced_at from wabas
    where id = ${id} ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}`;
  return (await withNumbers(sql, rows))[0];
}

/** Fetches limit + 1 numbers so the caller knows whether there is a next page. */
export async function listPhoneNumbers(
  sql: Sql,
  scope: TenantScope,
  filter: { wabaId: string | undefined; limit: number; after: string | undefined },
): Promise<PhoneNumberRow[]> {
  return sql<PhoneNumberRow[]>`
    select ${phoneColumns(sql)} from phone_numbers
    where true
      ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}
      ${filter.wabaId !== undefined ? sql`and waba_id = ${filter.wabaId}` : sql``}
      ${filter.after !== undefined ? sql`and (created_at, id) < (select created_at, id from phone_numbers where id = ${filter.after})` : sql``}
    order by created_at desc, id desc
    limit ${filter.limit + 1}`;
}

export async function findPhoneNumber(sql: Sql, scope: TenantScope, id: string): Promise<PhoneNumberRow | undefined> {
  const [row] = await sql<PhoneNumberRow[]>`
    select ${phoneColumns(sql)} from phone_numbers
    where id = ${id} ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}`;
  return row;
}
