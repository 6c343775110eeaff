/** Reads of the local template copy for /api/v1, scoped by tenant, in (WABA, name, language) order. */
import type { Sql } from '../db/connect.js';
import type { TenantScope } from '../api/tenant-scope.js';
import type { TemplateRow } from './template-row.js';

export interface TemplateFilter {
  wabaId: string | undefined;
  name: string | undefined;
  language: string | undefined;
  status: string | undefined;
  category: string | undefined;
  /** (waba_id, name, language) of the last template of the previous page. */
  after: [string, string, string] | undefined;
  limit: number;
}

export interface TemplateListRow extends TemplateRow {
  synced_at: Date | null;
}

/** Fetches limit + 1 rows so the caller knows whether there is a next page. */
export async function listTemplates(sql: Sql, scope: TenantScope, f: TemplateFilter): Promise<TemplateListRow[]> {
  return sql<TemplateListRow[]>`
    select t.*, s.synced_at from templates t left join template_syncs s on s.waba_id = t.waba_id
    where true
      ${scope.tenantId !== null ? sql`and t.tenant_id = ${scope.tenantId}` : sql``}
      ${f.wabaId !== undefined ? sql`and t.waba_id = ${f.wabaId}` : sql``}
      ${f.name !== undefined ? sql`and t.name = ${f.name}` : sql``}
      ${f.language !== undefined ? sql`and t.language = ${f.language}` : sql``}
      ${f.status !== undefined ? sql`and t.status = ${f.status.toUpperCase()}` : sql``}
      ${f.category !== undefined ? sql`and t.category = ${f.category.toUpperCase()}` : sql``}
      ${f.after !== undefined ? sql`and (t.waba_id, t.name, t.language) > (${f.after[0]}, ${f.after[1]}, ${f.after[2]})` : sql``}
    order by t.waba_id, t.name, t.language
    limit ${f.limit + 1}`;
}

export async function findTemplate(sql: Sql, scope: TenantScope, id: string): Promise<TemplateListRow | undefined> {
  if (!/^\d{1,20}$/.test(id)) return undefined;
  const [row] = await sql<TemplateListRow[]>`
    select t.*, s.synced_at from templates t left join template_syncs s on s.waba_id = t.waba_id
    where t.id = ${id} ${scope.tenantId !== null ? sql`and t.tenant_id = ${scope.tenantId}` : sql``}`;
  return row;
}

/** The WABAs a sync covers: the tenant's (or every tenant's), or one of them. */
export async function wabasToSync(sql: Sql, scope: TenantScope, wabaId: string | undefined): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from wabas
    where true
      ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}
      ${wabaId !== undefined ? sql`and id = ${wabaId}` : sql``}
    order by id`;
  return rows.map((r) => r.id);
}
