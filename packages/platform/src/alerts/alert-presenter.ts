/** What the API and the tenant's webhook show of an alert. */
import type { Static } from '@sinclair/typebox';
import type { Alert } from './alert-schemas.js';

export interface AlertRecord {
  id: string;
  alert_id: string;
  tenant_id: string;
  waba_id: string;
  phone_number_id: string | null;
  kind: string;
  severity: string;
  title: string;
  description: string;
  entity_type: string;
  entity_id: string;
  source: string;
  details: Record<string, unknown>;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}

export function presentAlert(row: AlertRecord): Static<typeof Alert> {
  return {
    id: row.alert_id,
    tenant_id: row.tenant_id,
    waba_id: row.waba_id,
    phone_number_id: row.phone_number_id,
    kind: row.kind,
    severity: row.severity,
    title: row.title,
    description: row.description,
    entity: { type: row.entity_type, id: row.entity_id },
    source: row.source,
    details: row.details,
    created_at: row.created_at.toISOString(),
    acknowledged_at: row.acknowledged_at?.toISOString() ?? null,
    acknowledged_by: row.acknowledged_by,
  };
}
