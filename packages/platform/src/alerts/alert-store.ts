/** Reads of a tenant's alerts, newest first, keyset-paged on the internal id. */
import type { TransactionSql } from 'postgres';
import type { Sql } from '../db/connect.js';
import type { TenantScope } from '../api/tenant-scope.js';
import type { AlertRecord } from './alert-presenter.js';

export interface AlertFilter {
  kind: string | undefined;
  severity: string | undefined;
  wabaId: string | undefined;
  phoneNumberId: string | undefined;
  since: Date | undefined;
  /** true: acknowledged only; false: not acknowledged yet. */
  acknowledged: boolean | undefined;
  beforeId: string | undefined;
  limit: number;
}

/** The columns of an AlertRecord. */
export const alertColumns = (sql: Sql | TransactionSql) => sql`
  id::text as id, alert_id, tenant_id, waba_id, phone_number_id, kind, severity, title, description, entity_type, entity_id, source, details, created_at,
  acknowledged_at, acknowledged_by`;

/** Fetches limit + 1 rows so the caller knows whether there is a next page. */
export async function listAlerts(sql: Sql, scope: TenantScope, f: AlertFilter): Promise<AlertRecord[]> {
  return sql<AlertRecord[]>`
    select ${alertColumns(sql)} from alerts
    where true
      ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}
      ${f.kind !== undefined ? sql`and kind = ${f.kind}` : sql``}
      ${f.severity !== undefined ? sql`and severity = ${f.severity}` : sql``}
      ${f.wabaId !== undefined ? sql`and waba_id = ${f.wabaId}` : sql``}
      ${f.phoneNumberId !== undefined ? sql`and phone_number_id = ${f.phoneNumberId}` : sql``}
      ${f.since !== undefined ? sql`and created_at >= ${f.since}` : sql``}
      ${f.acknowledged === undefined ? sql`` : f.acknowledged ? sql`and acknowledged_at is not null` : sql`and acknowledged_at is null`}
      ${f.beforeId !== undefined ? sql`and id < ${f.beforeId}::bigint` : sql``}
    order by alerts.id desc
    limit ${f.limit + 1}`;
}

export async function findAlert(sql: Sql, scope: TenantScope, alertId: string): Promise<AlertRecord | undefined> {
  const [row] = await sql<AlertRecord[]>`
    select ${alertColumns(sql)} from alerts
    where alert_id = ${alertId} ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}`;
  return row;
}

/**
 * Marks an alert acknowledged by `by` ('operator' or 'key:<API key id>') at `now`; acknowledging it
 * again changes nothing (the first acknowledgement stands). Undefined: no such alert in scope.
 */
export async function acknowledgeAlert(sql: Sql, scope: TenantScope, alertId: string, by: string, now: Date): Promise<AlertRecord | undefined> {
  const [row] = await sql<AlertRecord[]>`
    update alerts set acknowledged_at = coalesce(acknowledged_at, ${now}), acknowledged_by = coalesce(acknowledged_by, ${by})
    where alert_id = ${alertId} ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}
    returning ${alertColumns(sql)}`;
  return row;
}
