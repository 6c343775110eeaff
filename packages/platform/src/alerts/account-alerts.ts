/**
 * Alerts from Meta's account webhooks (reference §2.5), applied by the inbound processor in the
 * event's transaction:
 * - account_update: ACCOUNT_VIOLATION, DISABLED_UPDATE (disabled, scheduled to be disabled,
 *   reinstated), ACCOUNT_DELETED, PARTNER_REMOVED / PARTNER_APP_UNINSTALLED (the platform lost
 *   access to the WABA);
 * - account_review_update: REJECTED;
 * - account_alerts: passed on with Meta's severity (only while ACTIVE).
 * Other events raise nothing (they still reach the tenant as Meta's own webhook).
 */
import type { TransactionSql } from 'postgres';
import { raiseAlerts, type NewAlert } from './raise-alerts.js';
import type { AlertSeverity } from './alert-kinds.js';

export const ACCOUNT_FIELDS: ReadonlySet<string> = new Set(['account_update', 'account_review_update', 'account_alerts']);

type Value = Record<string, unknown>;

export async function alertOnAccountChange(tx: TransactionSql, target: { tenantId: string; wabaId: string }, field: string, value: Value, now: Date): Promise<void> {
  // The same change again the same (UTC) day is Meta redelivering it; on another day it is news.
  const alert = accountAlert(target, field, value, now.toISOString().slice(0, 10));
  if (alert) await raiseAlerts(tx, [alert], now);
}

function accountAlert({ tenantId, wabaId }: { tenantId: string; wabaId: string }, field: string, value: Value, day: string): NewAlert | undefined {
  const base = { tenantId, wabaId, source: 'webhook' as const, details: { field, value }, dedup: { field, value, day } };
  const waba = { type: 'WABA' as const, id: wabaId };
  const restricted = (severity: AlertSeverity, title: string, description: string): NewAlert => ({
    ...base,
    kind: 'account_restricted',
    severity,
    title,
    description,
    entity: waba,
  });
  if (field === 'account_review_update') {
    return value.decision === 'REJECTED'
      ? restricted('CRITICAL', 'WABA review rejected', 'Meta rejected the WhatsApp Business Account in review; it cannot send until this is resolved.')
      : undefined;
  }
  if (field === 'account_alerts') {
    const info = (value.alert_info ?? {}) as Value;
    if (info.alert_status !== undefined && info.alert_status !== 'ACTIVE') return undefined;
    const severity = (['CRITICAL', 'WARNING', 'INFORMATIONAL'] as const).find((s) => s === info.alert_severity) ?? 'WARNING';
    const type = typeof info.alert_type === 'string' ? info.alert_type : 'ACCOUNT_ALERT';
    const entityType = value.entity_type === 'BUSINESS' ? 'BUSINESS' : value.entity_type === 'PHONE_NUMBER' ? 'PHONE_NUMBER' : 'WABA';
    return {
      ...base,
      kind: 'account_alert',
      severity,
      title: type,
      description: typeof info.alert_description === 'string' ? info.alert_description : `Meta raised ${type}.`,
      entity: { type: entityType, id: typeof value.entity_id === 'string' || typeof value.entity_id === 'number' ? String(value.entity_id) : wabaId },
      ...(entityType === 'PHONE_NUMBER' && (typeof value.entity_id === 'string' || typeof value.entity_id === 'number')
        ? { phoneNumberId: String(value.entity_id) }
        : {}),
    };
  }
  if (field !== 'account_update') return undefined;
  switch (value.event) {
    case 'ACCOUNT_VIOLATION': {
      const type = ((value.violation_info ?? {}) as Value).violation_type;
      return restricted('CRITICAL', 'Policy violation', `Meta recorded a policy violation on the WABA${typeof type === 'string' ? ` (${type})` : ''}; messaging may be restricted.`);
    }
    case 'DISABLED_UPDATE': {
      const ban = (value.ban_info ?? {}) as Value;
      const date = typeof ban.waba_ban_date === 'string' ? ` on ${ban.waba_ban_date}` : '';
      if (ban.waba_ban_state === 'DISABLE') return restricted('CRITICAL', 'WABA disabled', 'Meta disabled the WhatsApp Business Account; it cannot send messages.');
      if (ban.waba_ban_state === 'SCHEDULE_FOR_DISABLE') return restricted('CRITICAL', 'WABA scheduled to be disabled', `Meta will disable the WhatsApp Business Account${date}.`);
      if (ban.waba_ban_state === 'REINSTATE') return restricted('INFORMATIONAL', 'WABA reinstated', 'Meta reinstated the WhatsApp Business Account.');
      return undefined;
    }
    case 'ACCOUNT_DELETED':
      return restricted('CRITICAL', 'WABA deleted', 'Meta deleted the WhatsApp Business Account.');
    case 'PARTNER_REMOVED':
    case 'PARTNER_APP_UNINSTALLED':
      return restricted('CRITICAL', 'Access to the WABA removed', `The WABA's owner removed the platform's access (${value.event}); sends through it will fail.`);
    default:
      return undefined;
  }
}
