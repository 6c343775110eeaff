/** Request and response schemas of the API key endpoints. */
import { Type } from '@sinclair/typebox';
import { Nullable, Page, PageQuery, TenantIdParam, Timestamp } from '../api/schemas.js';

export const ApiKeyResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  tenant_id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  hint: Type.String({ description: 'The first characters of the key, to tell keys apart.' }),
  active: Type.Boolean({ description: 'False once revoked.' }),
  created_at: Timestamp,
  last_used_at: Nullable(Timestamp),
  revoked_at: Nullable(Timestamp),
});

export const CreatedApiKeyResponse = Type.Composite([
  ApiKeyResponse,
  Type.Object({ api_key: Type.String({ description: 'The key itself. Shown only now.' }) }),
]);

export const ApiKeyList = Page(ApiKeyResponse);
export const ApiKeyListQuery = Type.Object({ ...PageQuery, tenant_id: Type.Optional(TenantIdParam) });

export const CreateApiKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, description: 'What the key is for ("production", "ci").' }),
  tenant_id: Type.Optional(TenantIdParam),
});

export const ApiKeyParams = Type.Object({ id: Type.String({ maxLength: 64, description: 'API key id.' }) });
