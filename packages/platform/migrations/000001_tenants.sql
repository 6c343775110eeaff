-- Tenants (the BSP's business customers) and their API keys.
-- Keys are random 32-byte secrets, so a SHA-256 digest is enough to store them (no slow hash needed:
-- there is nothing to brute-force); the digest is the lookup key on every request.
create table tenants (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  -- The tenant's webhook signing secret, AES-256-GCM encrypted with SWITCHBOARD_ENCRYPTION_KEY.
  webhook_secret_enc bytea not null,
  created_at timestamptz not null default now()
);

create table api_keys (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null default 'default',
  -- First characters of the key, shown in listings so people can tell keys apart.
  prefix text not null,
  digest bytea not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create index api_keys_tenant on api_keys (tenant_id);
