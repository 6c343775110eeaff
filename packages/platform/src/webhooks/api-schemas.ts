/**
 * Request and response schemas of the webhooks module's /api/v1 routes (TypeBox: the same schema
 * validates a request, serialises a response, describes both in /api/v1/openapi.json, and gives
 * the handler its types).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, PageQuery, Paging, TenantIdParam, Timestamp } from '../api/schemas.js';

export const TAGS = ['webhooks'];

export const TenantQuery = Type.Object({ tenant_id: Type.Optional(TenantIdParam) });
export type TenantQuery = Static<typeof TenantQuery>;

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export type IdParams = Static<typeof IdParams>;

// ---- configuration ----

export const WebhookDefault = Type.Object(
  {
    url: Nullable(Type.String({ description: 'Where events go unless a WABA or phone-number override takes them.' })),
    updated_at: Nullable(Timestamp),
  },
  { description: "The tenant's default callback URL (Meta's app callback)." },
);

export const WebhookDefaultBody = Type.Object({
  url: Type.String({ maxLength: 2_000, description: 'An http(s) URL; "" removes the default.' }),
  verify_token: Type.Optional(
    Type.String({ maxLength: 200, description: 'Echoed in the GET handshake (hub.verify_token) the URL must answer before it is stored.' }),
  ),
});
export type WebhookDefaultBody = Static<typeof WebhookDefaultBody>;

export const WabaWebhook = Type.Object({
  waba_id: Type.String(),
  subscribed: Type.Boolean({ description: 'false after DELETE /{waba-id}/subscribed_apps: the WABA’s events are not delivered.' }),
  override_callback_uri: Nullable(Type.String()),
  callback_uri: Nullable(Type.String({ description: 'Where this WABA’s messages events go now (override, else the tenant default).' })),
  updated_at: Nullable(Timestamp),
});

export const WabaWebhookBody = Type.Object({
  subscribed: Type.Optional(Type.Boolean()),
  override_callback_uri: Type.Optional(Type.String({ maxLength: 200, description: 'An http(s) URL (≤ 200 characters); "" clears the override.' })),
  verify_token: Type.Optional(Type.String({ maxLength: 200 })),
});
export type WabaWebhookBody = Static<typeof WabaWebhookBody>;

export const PhoneWebhook = Type.Object({
  phone_number_id: Type.String(),
  waba_id: Type.String(),
  override_callback_uri: Nullable(Type.String()),
  callback_uri: Nullable(Type.String({ description: 'Where this number’s messages events go now (phone override, WABA override, tenant default).' })),
  updated_at: Nullable(Timestamp),
});

export const PhoneWebhookBody = Type.Object({
  override_callback_uri: Type.String({ maxLength: 200, description: 'An http(s) URL (≤ 200 characters); "" clears the override.' }),
  verify_token: Type.Optional(Type.String({ maxLength: 200 })),
});
export type PhoneWebhookBody = Static<typeof PhoneWebhookBody>;

// ---- events and deliveries ----

export const EventState = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')]);

export const Attempt = Type.Object({
  id: Type.String(),
  url: Type.String(),
  started_at: Timestamp,
  duration_ms: Type.Integer(),
  outcome: Type.Union([Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('timeout')]),
  status_code: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  event_count: Type.Integer(),
});

export const WebhookEvent = Type.Object({
  id: Type.String({ description: 'Stable event id, also sent in X-Switchboard-Event-Ids: deduplicate on it.' }),
  tenant_id: Type.String(),
  waba_id: Type.String(),
  phone_number_id: Nullable(Type.String()),
  field: Type.String({ description: "Meta's webhook field (messages, message_template_status_update, …)." }),
  ordering_key: Type.String({ description: 'Events with the same key are delivered in order.' }),
  state: EventState,
  url: Nullable(Type.String({ description: 'Destination resolved when the event was created (or replayed).' })),
  attempts: Type.Integer(),
  next_attempt_at: Nullable(Timestamp),
  last_error: Nullable(Type.String()),
  created_at: Timestamp,
  delivered_at: Nullable(Timestamp),
  dead_at: Nullable(Timestamp),
  value: Type.Unknown({ description: 'The change value, as in entry[].changes[].value.' }),
});

export const WebhookEventDetail = Type.Composite([WebhookEvent, Type.Object({ deliveries: Type.Array(Attempt, { description: 'Every POST that carried this event, oldest first.' }) })]);

const Since = Type.String({ maxLength: 40, description: 'ISO 8601 time or Unix seconds: only items created at or after it.' });

export const EventListQuery = Type.Object({
  ...PageQuery,
  tenant_id: Type.Optional(TenantIdParam),
  state: Type.Optional(EventState),
  since: Type.Optional(Since),
  waba_id: Type.Optional(Type.String({ maxLength: 64 })),
  field: Type.Optional(Type.String({ maxLength: 100 })),
});
export type EventListQuery = Static<typeof EventListQuery>;

export const EventPage = Type.Object({ data: Type.Array(WebhookEvent), paging: Paging });

export const Delivery = Type.Composite([
  Attempt,
  Type.Object({ tenant_id: Type.String(), event_ids: Type.Array(Type.String(), { description: 'Event ids in the order of the changes sent.' }) }),
]);

export const DeliveryListQuery = Type.Object({
  ...PageQuery,
  tenant_id: Type.Optional(TenantIdParam),
  outcome: Type.Optional(Type.Union([Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('timeout')])),
  since: Type.Optional(Since),
});
export type DeliveryListQuery = Static<typeof DeliveryListQuery>;

export const DeliveryPage = Type.Object({ data: Type.Array(Delivery), paging: Paging });

export const BulkReplayBody = Type.Object({
  since: Type.Optional(Since),
  until: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 time or Unix seconds: only events created before it.' })),
  waba_id: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1_000, description: 'Most events replayed by this call.' })),
});
export type BulkReplayBody = Static<typeof BulkReplayBody>;

export const BulkReplayResult = Type.Object({
  replayed: Type.Integer({ description: 'Dead events queued again.' }),
  skipped: Type.Integer({ description: 'Dead events left dead because no URL is configured for them.' }),
});
