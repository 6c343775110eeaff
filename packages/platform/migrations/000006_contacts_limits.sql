-- Contacts and opt-in, the portfolio messaging limit, number health, and alerts.

-- A tenant's contacts with their WhatsApp subscription status (the MoEngage seed's
-- moe_wa_subscription): true (TRUE, consent given), false (FALSE, opted out), null (unset).
-- No foreign key to tenants here or on contact_events: imports write 100,000 rows at a time and
-- the per-row trigger of a foreign key doubled that time (the messages tables do the same).
create table contacts (
  tenant_id uuid not null,
  wa_id text not null,
  subscription boolean,
  name text,
  -- When the subscription last changed (the change's own time for keywords and Meta's webhook,
  -- so a late webhook does not undo a newer change).
  subscription_changed_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (tenant_id, wa_id)
);
-- Lists filtered by status, in wa_id order.
create index contacts_tenant_subscription on contacts (tenant_id, subscription, wa_id);

-- Every change of a contact's subscription, append-only: who, how, when, and the proof.
create table contact_events (
  id bigint generated always as identity primary key,
  tenant_id uuid not null,
  wa_id text not null,
  from_subscription boolean,
  to_subscription boolean,
  source text not null check (source in ('api', 'import', 'keyword', 'meta', 'dashboard')),
  actor text not null,
  proof text,
  at timestamptz not null
);
create index contact_events_contact on contact_events (tenant_id, wa_id, id desc);

-- A tenant's own opt-out / opt-in keywords per language (no rows: the built-in defaults), with
-- the confirmation texts sent back inside the window the keyword message opened (null: none).
create table contact_keywords (
  tenant_id uuid not null references tenants (id) on delete cascade,
  language text not null,
  opt_out text[] not null default '{}',
  opt_in text[] not null default '{}',
  opt_out_reply text,
  opt_in_reply text,
  primary key (tenant_id, language)
);

-- The business portfolio that owns each WABA (owner_business_info, read when it is attached). The
-- messaging limit is the portfolio's; a WABA whose owner could not be read is its own portfolio.
alter table wabas
  add column business_id text,
  add column portfolio_id text generated always as (coalesce(business_id, 'waba:' || id)) stored;
create index wabas_portfolio on wabas (portfolio_id);

-- A portfolio's messaging limit (unique users reached outside a service window per moving 24 h)
-- and how many users it has reached: reach_count is the number of its portfolio_reach rows,
-- maintained under the portfolio row's lock, expired rows deleted as the window moves.
create table portfolios (
  id text primary key,
  messaging_limit_tier text,
  tier_updated_at timestamptz,
  reach_count integer not null default 0 check (reach_count >= 0)
);

create table portfolio_reach (
  portfolio_id text not null references portfolios (id) on delete cascade,
  wa_id text not null,
  reached_at timestamptz not null,
  primary key (portfolio_id, wa_id)
);
create index portfolio_reach_expiry on portfolio_reach (portfolio_id, reached_at);

-- Number health as the webhooks last told it (quality_rating, status, throughput_level and
-- messaging_limit_tier already exist and are also refreshed by reads); refresh_due_at asks the
-- refresher to read the number from Meta (after a quality webhook, whose payload is partial).
alter table phone_numbers
  add column quality_event text,
  add column health_updated_at timestamptz,
  add column refresh_due_at timestamptz;
create index phone_numbers_refresh_due on phone_numbers (refresh_due_at) where refresh_due_at is not null;

-- Messages held back by the messaging limit (the tenant's over-limit choice 'hold'): the
-- dispatcher skips them until the releaser admits their recipient and clears the hold.
-- held_until is when capacity is next expected to free (shown to the tenant; the releaser
-- re-checks then).
alter table send_queue
  add column held_reason text check (held_reason in ('messaging_limit')),
  add column held_until timestamptz;
create index send_queue_held on send_queue (message_id) where held_reason is not null;

-- Alerts raised for a tenant: quality drops, template pauses and recategorisations, account
-- restrictions. dedup_key makes a redelivered Meta webhook raise nothing new.
create table alerts (
  id bigint generated always as identity primary key,
  alert_id uuid not null unique default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  waba_id text not null,
  phone_number_id text,
  kind text not null,
  severity text not null check (severity in ('CRITICAL', 'WARNING', 'INFORMATIONAL')),
  title text not null,
  description text not null,
  entity_type text not null,
  entity_id text not null,
  source text not null check (source in ('webhook', 'read')),
  details jsonb not null default '{}',
  dedup_key text not null,
  created_at timestamptz not null,
  unique (tenant_id, dedup_key)
);
create index alerts_tenant on alerts (tenant_id, id desc);
