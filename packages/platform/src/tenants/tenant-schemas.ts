/** Request and response schemas of the tenant endpoints. */
import { Type } from '@sinclair/typebox';
import { PageQuery, Page, Timestamp } from '../api/schemas.js';

export const CreateTenantBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, description: "The tenant's display name." }),
});

export const CreatedTenantResponse = Type.Object(
  {
    tenant_id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    api_key: Type.String({ description: 'The first API key. Shown only now.' }),
    webhook_secret: Type.String({ description: "Signs the tenant's webhooks (X-Hub-Signature-256). Shown only now." }),
  },
  { description: 'The new tenant with its secrets: store them, they are not shown again.' },
);

export const TenantResponse = Type.Object({
  tenant_id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  created_at: Timestamp,
  active_keys: Type.Integer({ description: 'API keys not revoked.' }),
  wabas: Type.Integer(),
  phone_numbers: Type.Integer(),
});

export const TenantList = Page(TenantResponse);
export const TenantListQuery = Type.Object({ ...PageQuery });
export const TenantParams = Type.Object({ id: Type.String({ maxLength: 64, description: 'Tenant id.' }) });

export const WebhookSecretResponse = Type.Object({
  tenant_id: Type.String({ format: 'uuid' }),
  webhook_secret: Type.String({ description: 'The new signing secret; the old one stops working now. Shown only now.' }),
});
