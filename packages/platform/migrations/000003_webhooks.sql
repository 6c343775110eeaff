-- Tenant webhooks: where each tenant's events go (tenant default, WABA and phone-number overrides),
-- the events owed to tenants, the destinations they are delivered to, and every delivery attempt.

-- The tenant's default callback URL (Meta's "app callback"), set with PUT /api/v1/webhooks.
create table webhook_defaults (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  url text not null,
  -- The verify token the URL answered Meta's GET handshake with, AES-256-GCM encrypted.
  verify_token_enc bytea not null,
  updated_at timestamptz not null
);

-- A WABA's subscription (POST/DELETE /{waba-id}/subscribed_apps) and its optional override.
-- No row means subscribed without an override: an attached WABA delivers to the tenant default
-- until the tenant unsubscribes it.
create table waba_webhook_subscriptions (
  waba_id text primary key references wabas (id) on delete cascade,
  tenant_id uuid not null references tenants (id) on delete cascade,
  subscribed boolean not null default true,
  override_url text check (length(override_url) between 1 and 200),
  verify_token_enc bytea,
  updated_at timestamptz not null,
  check ((override_url is null) = (verify_token_enc is null))
);

-- A phone number's override (POST /{phone-number-id} with webhook_configuration).
create table phone_webhook_overrides (
  phone_number_id text primary key references phone_numbers (id) on delete cascade,
  tenant_id uuid not null references tenants (id) on delete cascade,
  url text not null check (length(url) between 1 and 200),
  verify_token_enc bytea not null,
  updated_at timestamptz not null
);

-- Where events are POSTed: one row per (tenant, URL), since each tenant signs with its own secret.
-- One sender at a time per destination across processes (an advisory lock on its id); the
-- destination's backoff (retry_at) holds every event queued for it while the receiver fails.
create table webhook_destinations (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  url text not null,
  -- Consecutive failed POSTs; 0 while the receiver answers.
  failures integer not null default 0,
  retry_at timestamptz,
  last_success_at timestamptz,
  last_failure_at timestamptz,
  last_error text,
  unique (tenant_id, url)
);

-- Every event owed to a tenant: one Meta change ({field, value}) for one WABA. `event_id` is the
-- stable public id (X-Switchboard-Event-Ids) receivers deduplicate on; `id` gives the order.
create table webhook_events (
  id bigint generated always as identity primary key,
  event_id uuid not null unique default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  waba_id text not null,
  phone_number_id text,
  field text not null,
  -- json, not jsonb: the value is delivered with its keys in the order they were produced.
  value json not null,
  -- Events with the same key (a conversation) are delivered in id order.
  ordering_key text not null,
  -- Resolved when the event is created (phone override → WABA override → tenant default) and
  -- again on replay; null when the tenant had no URL (the event is dead, and replayable).
  destination_id bigint references webhook_destinations (id) on delete set null,
  state text not null default 'pending' check (state in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0,
  -- The first failed attempt while this event waited (cleared when the receiver recovers): the
  -- event is dead-lettered once it has been failing for the whole retry window.
  first_failed_at timestamptz,
  last_error text,
  created_at timestamptz not null,
  delivered_at timestamptz,
  dead_at timestamptz
);
-- The queue of each destination, in order (claims, backlog checks, oldest-event lag).
create index webhook_events_queue on webhook_events (destination_id, id) where state = 'pending';
-- "Is an earlier event of this conversation still undelivered?"
create index webhook_events_ordering on webhook_events (tenant_id, ordering_key, id) where state = 'pending';
-- Listings, newest first, and bulk replay of dead events.
create index webhook_events_tenant on webhook_events (tenant_id, id desc);
create index webhook_events_dead on webhook_events (tenant_id, id) where state = 'dead';

-- Every POST to a tenant's URL (the delivery log), with the events it carried.
create table webhook_attempts (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  destination_id bigint not null references webhook_destinations (id) on delete cascade,
  url text not null,
  started_at timestamptz not null,
  duration_ms integer not null,
  outcome text not null check (outcome in ('delivered', 'failed', 'timeout')),
  status_code integer,
  error text,
  event_count integer not null
);
create index webhook_attempts_tenant on webhook_attempts (tenant_id, id desc);

create table webhook_attempt_events (
  event_id bigint not null references webhook_events (id) on delete cascade,
  attempt_id bigint not null references webhook_attempts (id) on delete cascade,
  primary key (event_id, attempt_id)
);
create index webhook_attempt_events_attempt on webhook_attempt_events (attempt_id);
