-- Policy before money is spent: each tenant's policy settings, the local copy of every template
-- of the tenants' WABAs (what a template send is checked against), when each WABA's templates were
-- last read from Meta, and the click-to-WhatsApp referral a reply turns into a free-entry-point
-- window.

-- No row means the defaults.
create table tenant_policy (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  -- 'platform': free-form messages outside the 24 h window are refused at once (131047);
  -- 'meta': they are queued and Meta decides (a failed status later).
  window_enforcement text not null default 'platform' check (window_enforcement in ('platform', 'meta')),
  -- Marketing templates only to contacts whose subscription is TRUE (default: all but FALSE).
  require_opt_in_for_marketing boolean not null default false,
  -- Past the portfolio's messaging limit: refuse (131048) or hold until capacity frees.
  over_limit text not null default 'refuse' check (over_limit in ('refuse', 'hold')),
  updated_at timestamptz not null
);

-- Templates as Meta last described them (read, or told by a webhook), plus what the platform
-- itself submitted. `version` moves on every change: compiled send specs are cached per
-- (id, version), so no process ever checks a send against a superseded definition.
create table templates (
  id text primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  waba_id text not null references wabas (id) on delete cascade,
  name text not null,
  language text not null,
  category text not null,
  -- The category before Meta changed it (template_category_update), and a change Meta announced.
  previous_category text,
  correct_category text,
  category_change_at timestamptz,
  parameter_format text not null default 'POSITIONAL',
  components jsonb not null,
  message_send_ttl_seconds integer,
  status text not null,
  rejected_reason text,
  rejection_info jsonb,
  quality_score text,
  -- Why and until when a PAUSED template is paused (null until: unpaused only by hand, e.g. pacing).
  pause_reason text,
  paused_until timestamptz,
  -- Edits made while APPROVED (Meta allows 10 per 30 days, 1 per 24 h), as far as the platform saw them.
  approved_edits timestamptz[] not null default '{}',
  -- Meta changed what its webhooks do not fully describe (components edited elsewhere): the copy
  -- is re-read from Meta before a send relies on it.
  stale boolean not null default false,
  version integer not null default 1,
  -- When Meta last described the whole template to us (null: only what the platform submitted).
  read_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (waba_id, name, language)
);
create index templates_tenant on templates (tenant_id, waba_id, name, language);

-- The periodic reconcile of each WABA's templates with Meta's list. A webhook about a template
-- the platform does not know, or one whose copy went stale, makes the WABA due at once.
create table template_syncs (
  waba_id text primary key references wabas (id) on delete cascade,
  next_sync_at timestamptz not null,
  synced_at timestamptz,
  last_error text
);
create index template_syncs_due on template_syncs (next_sync_at);

-- A user's last arrival through a click-to-WhatsApp ad or Page CTA: a business reply within 24 h
-- of it opens a 72 h free-entry-point window (fep_expires_at) from that reply.
alter table conversations add column referral_at timestamptz;
