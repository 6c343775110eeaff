/** Reads of a tenant's alerts, newest first, keyset-paged on the internal id. */
import type { Sql } from '../db/connect.js';
import type { TenantScope } from '../api/tenant-scope.js';
import type { AlertRecord } from './alert-presenter.js';

export interface AlertFilter {
  kind: string | undefined;
  severity: string | undefined;
  wabaId: string | undefined;
  phoneNumberId: string | undefined;
  since: Date | undefined;
  beforeId: string | undefined;
  limit: number;
}

const columns = (sql: Sql) => sql`
  id::text as id, alert_id, tenant_id, waba_id, phone_number_id, kind, severity, title, description, entity_type, entity_id, source, details, created_at`;

/** Fetches limit + 1 rows so the caller knows whether there is a next page. */
export async function listAlerts(sql: Sql, scope: TenantScope, f: AlertFilter): Promise<AlertRecord[]> {
  return sql<AlertRecord[]>`
    select ${columns(sql)} from alerts
    where true
      ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}
      ${f.kind !== undefined ? sql`and kind = ${f.kind}` : sql``}
      ${f.severity !== undefined ? sql`and severity = ${f.severity}` : sql``}
      ${f.wabaId !== undefined ? sql`and waba_id = ${f.wabaId}` : sql``}
      ${f.phoneNumberId !== undefined ? sql`and phone_number_id = ${f.phoneNumberId}` : sql``}
      ${f.since !== undefined ? sql`and created_at >= ${f.since}` : sql``}
      ${f.beforeId !== undefined ? sql`and id < ${f.beforeId}::bigint` : sql``}
    order by alerts.id desc
    limit ${f.limit + 1}`;
}

export async function findAlert(sql: Sql, scope: TenantScope, alertId: string): Promise<AlertRecord | undefined> {
  const [row] = await sql<AlertRecord[]>`
    select ${columns(sql)} from alerts
    where alert_id = ${alertId} ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}`;
  return row;
}
