/**
 * Raising alerts: stored for the tenant (GET /api/v1/alerts) and queued for the tenant's webhook,
 * in the caller's transaction, so an alert exists if and only if the change that caused it was
 * committed. Each alert has a dedup key: the same cause seen twice (Meta redelivering a webhook,
 * a sync reading the same drop again) raises nothing new.
 *
 * Tenants receive alerts in Meta's envelope with the field `switchboard_alert` (Meta has no field
 * for them; its own management webhooks — phone_number_quality_update, account_update, … — are
 * forwarded unchanged as well). Like Meta's account fields, they go to the tenant's default URL,
 * not to WABA or number overrides.
 */
import { createHash } from 'node:crypto';
import type { TransactionSql } from 'postgres';
import { enqueueTenantEvents } from '../webhooks/enqueue-events.js';
import type { AlertKind, AlertSeverity } from './alert-kinds.js';
import { presentAlert, type AlertRecord } from './alert-presenter.js';
import { alertColumns } from './alert-store.js';

export const ALERT_FIELD = 'switchboard_alert';

export interface NewAlert {
  tenantId: string;
  wabaId: string;
  phoneNumberId?: string | null;
  kind: AlertKind;
  severity: AlertSeverity;
  title: string;
  description: string;
  entity: { type: 'PHONE_NUMBER' | 'WABA' | 'BUSINESS' | 'TEMPLATE'; id: string };
  source: 'webhook' | 'read';
  details: Record<string, unknown>;
  /** What makes two alerts the same (hashed); e.g. the webhook value that caused it. */
  dedup: unknown;
}

/** Stores and queues the alerts that are new; returns them. */
export async function raiseAlerts(tx: TransactionSql, alerts: NewAlert[], now: Date): Promise<AlertRecord[]> {
  const raised: AlertRecord[] = [];
  for (const a of alerts) {
    const key = createHash('sha256').update(JSON.stringify([a.kind, a.entity, a.dedup])).digest('base64url');
    const [row] = await tx<AlertRecord[]>`
      insert into alerts (tenant_id, waba_id, phone_number_id, kind, severity, title, description, entity_type, entity_id, source, details, dedup_key, created_at)
      values (${a.tenantId}, ${a.wabaId}, ${a.phoneNumberId ?? null}, ${a.kind}, ${a.severity}, ${a.title}, ${a.description},
              ${a.entity.type}, ${a.entity.id}, ${a.source}, ${tx.json(a.details as never)}, ${key}, ${now})
      on conflict (tenant_id, dedup_key) do nothing
      returning ${alertColumns(tx)}`;
    if (row) raised.push(row);
  }
  await enqueueTenantEvents(
    tx,
    raised.map((r) => ({
      tenantId: r.tenant_id,
      wabaId: r.waba_id,
      ...(r.phone_number_id ? { phoneNumberId: r.phone_number_id } : {}),
      field: ALERT_FIELD,
      value: presentAlert(r),
      orderingKey: `alerts:${r.waba_id}`,
    })),
    now,
  );
  return raised;
}
