/** What the API shows of an API key: its hint and history, never the key or its digest. */
import type { Static } from '@sinclair/typebox';
import type { ApiKeyResponse } from './key-schemas.js';
import type { ApiKeyRow } from './key-store.js';

export function presentApiKey(row: ApiKeyRow): Static<typeof ApiKeyResponse> {
  return {
    id: row.id,
    tenant_id: row.tenant_id,
    name: row.name,
    hint: row.prefix,
    active: row.revoked_at === null,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}
