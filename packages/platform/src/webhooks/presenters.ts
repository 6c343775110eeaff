/** What /api/v1 shows of events, attempts and configuration: exactly the fields its schemas list. */
import type { Static } from '@sinclair/typebox';
import type { Attempt, Delivery, PhoneWebhook as PhoneWebhookSchema, WabaWebhook, WebhookDefault as WebhookDefaultSchema, WebhookEvent } from './api-schemas.js';
import type { PhoneWebhook } from './phone-override.js';
import type { AttemptRow, EventRow } from './sql/event-queries.js';
import type { WabaSubscription } from './waba-subscription.js';
import type { WebhookDefault } from './webhook-default.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function presentEvent(row: EventRow, now: number): Static<typeof WebhookEvent> {
  return {
    id: row.id,
    tenant_id: row.tenant_id,
    waba_id: row.waba_id,
    phone_number_id: row.phone_number_id,
    field: row.field,
    ordering_key: row.ordering_key,
    state: row.state,
    url: row.url,
    attempts: row.attempts,
    // A pending event waits for its destination's retry time, or goes as soon as its turn comes.
    next_attempt_at: row.next_attempt_at && row.next_attempt_at.getTime() > now ? row.next_attempt_at.toISOString() : null,
    last_error: row.last_error,
    created_at: row.created_at.toISOString(),
    delivered_at: iso(row.delivered_at),
    dead_at: iso(row.dead_at),
    value: row.value,
  };
}

export function presentAttempt(row: AttemptRow): Static<typeof Attempt> {
  return {
    id: row.id,
    url: row.url,
    started_at: row.started_at.toISOString(),
    duration_ms: row.duration_ms,
    outcome: row.outcome,
    status_code: row.status_code,
    error: row.error,
    event_count: row.event_count,
  };
}

export function presentDelivery(row: AttemptRow & { event_ids: string[] }): Static<typeof Delivery> {
  return { ...presentAttempt(row), tenant_id: row.tenant_id, event_ids: row.event_ids };
}

export function presentDefault(d: WebhookDefault): Static<typeof WebhookDefaultSchema> {
  return { url: d.url, updated_at: iso(d.updatedAt) };
}

export function presentWaba(s: WabaSubscription): Static<typeof WabaWebhook> {
  return {
    waba_id: s.wabaId,
    subscribed: s.subscribed,
    override_callback_uri: s.overrideUrl,
    callback_uri: s.subscribed ? (s.overrideUrl ?? s.defaultUrl) : null,
    updated_at: iso(s.updatedAt),
  };
}

export function presentPhone(p: PhoneWebhook): Static<typeof PhoneWebhookSchema> {
  return {
    phone_number_id: p.phoneNumberId,
    waba_id: p.wabaId,
    override_callback_uri: p.overrideUrl,
    callback_uri: p.wabaSubscribed ? (p.overrideUrl ?? p.wabaOverrideUrl ?? p.defaultUrl) : null,
    updated_at: iso(p.updatedAt),
  };
}
