-- Messaging: the WABAs and numbers tenants own, outbound messages and their send queue, attempts,
-- inbound events from Meta, inbound messages and customer-service windows.

-- A tenant's WABAs, attached with Meta's ids and a Meta access token (encrypted at rest).
create table wabas (
  id text primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text,
  access_token_enc bytea not null,
  created_at timestamptz not null default now()
);
create index wabas_tenant on wabas (tenant_id);

create table phone_numbers (
  id text primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  waba_id text not null references wabas (id) on delete cascade,
  display_phone_number text not null default '',
  -- Messages per second Meta allows this number (80 by default; 1,000 after an upgrade).
  mps integer not null default 80 check (mps > 0),
  quality_rating text,
  status text,
  created_at timestamptz not null default now()
);
create index phone_numbers_tenant on phone_numbers (tenant_id);

-- Outbound messages. `wamid` is the platform's id returned to the tenant; Meta's id stays here.
create table messages (
  id bigint generated always as identity primary key,
  wamid text not null unique,
  tenant_id uuid not null,
  phone_number_id text not null,
  recipient text not null,
  type text not null,
  body jsonb not null,
  status text not null default 'accepted',
  meta_wamid text,
  idempotency_key text,
  request_hash bytea,
  attempts smallint not null default 0,
  error jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index messages_idempotency on messages (tenant_id, idempotency_key) where idempotency_key is not null;
create unique index messages_meta_wamid on messages (meta_wamid) where meta_wamid is not null;
create index messages_tenant_recent on messages (tenant_id, id desc);

-- Work still to do, kept apart from the history so the dispatcher's scans stay small however many
-- messages are stored.
create table send_queue (
  message_id bigint primary key,
  phone_number_id text not null,
  recipient text not null,
  available_at timestamptz not null default now(),
  attempts smallint not null default 0,
  -- Set, and committed, before a request leaves for Meta; cleared with its outcome. Found set after
  -- a crash, it marks an attempt whose outcome is unknown: the retry may duplicate it and is counted.
  in_flight_since timestamptz
);
create index send_queue_lane on send_queue (phone_number_id, message_id);

-- Every attempt to hand a message to Meta, with Meta's answer.
create table message_attempts (
  id bigint generated always as identity primary key,
  message_id bigint not null,
  attempt smallint not null,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  outcome text not null check (outcome in ('sent', 'retry', 'failed', 'unknown')),
  http_status integer,
  meta_code integer,
  response jsonb
);
create index message_attempts_message on message_attempts (message_id);

-- Status history per message (one row per distinct status; duplicates from Meta's retries are dropped).
create table message_statuses (
  message_id bigint not null,
  status text not null,
  at timestamptz not null,
  pricing jsonb,
  errors jsonb,
  primary key (message_id, status)
);

-- Statuses that arrived before the dispatcher recorded Meta's id for their message.
create table pending_statuses (
  meta_wamid text not null,
  status jsonb not null,
  received_at timestamptz not null default now()
);
create index pending_statuses_wamid on pending_statuses (meta_wamid);

-- Webhook POSTs from Meta, stored raw before the 200 and processed afterwards.
create table inbound_events (
  id bigint generated always as identity primary key,
  received_at timestamptz not null default now(),
  body jsonb not null,
  processed_at timestamptz,
  attempts smallint not null default 0,
  last_error text
);
create index inbound_events_unprocessed on inbound_events (id) where processed_at is null;

-- Messages from users, deduplicated on Meta's id.
create table inbound_messages (
  id bigint generated always as identity primary key,
  meta_wamid text not null unique,
  tenant_id uuid not null,
  phone_number_id text not null,
  sender text not null,
  type text not null,
  body jsonb not null,
  sent_at timestamptz not null,
  received_at timestamptz not null default now()
);
create index inbound_messages_tenant_recent on inbound_messages (tenant_id, id desc);

-- Customer-service windows: the last message from each user to each number.
create table conversations (
  phone_number_id text not null,
  wa_id text not null,
  tenant_id uuid not null,
  last_inbound_at timestamptz not null,
  -- Free-entry-point window (72 h), opened by a reply to a click-to-WhatsApp entry.
  fep_expires_at timestamptz,
  primary key (phone_number_id, wa_id)
);
create index conversations_tenant on conversations (tenant_id, last_inbound_at desc);

-- Media ids a tenant may use: uploaded through the platform or received from its users.
create table media (
  id text primary key,
  tenant_id uuid not null,
  phone_number_id text not null,
  mime_type text,
  created_at timestamptz not null default now()
);
create index media_tenant on media (tenant_id);

-- Template ids seen through a tenant's WABAs, so /{template-id} calls can be checked for ownership.
create table template_refs (
  id text primary key,
  waba_id text not null references wabas (id) on delete cascade,
  tenant_id uuid not null
);
