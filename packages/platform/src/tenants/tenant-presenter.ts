/** What the API shows of a tenant, and of a tenant just created (its secrets, once). */
import type { Static } from '@sinclair/typebox';
import type { CreatedTenantResponse, TenantResponse } from './tenant-schemas.js';
import type { CreatedTenant } from './create-tenant.js';
import type { TenantRow } from './tenant-store.js';

export function presentTenant(row: TenantRow): Static<typeof TenantResponse> {
  return {
    tenant_id: row.id,
    name: row.name,
    created_at: row.created_at.toISOString(),
    active_keys: row.active_keys,
    wabas: row.wabas,
    phone_numbers: row.phone_numbers,
  };
}

export function presentCreatedTenant(tenant: CreatedTenant): Static<typeof CreatedTenantResponse> {
  return { tenant_id: tenant.tenant_id, name: tenant.name, api_key: tenant.api_key, webhook_secret: tenant.webhook_secret };
}
