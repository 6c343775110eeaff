/**
 * API keys: a tenant lists, creates and revokes its own; the operator those of any tenant
 * (`tenant_id`). Revocation takes effect at once in this process (the authentication cache is
 * cleared) and within the cache's few seconds in others.
 */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { invalidParameter, unknownObject } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { apiAuth, principalOf } from '../api/api-auth.js';
import { decodeCursor, nextCursor } from '../api/cursor.js';
import { isUuid } from '../api/ids.js';
import { errorResponses, pageLimit } from '../api/schemas.js';
import { actingTenant, readScope } from '../api/tenant-scope.js';
import { forgetCachedKeys } from '../auth/tenant-auth.js';
import { presentApiKey } from './key-presenter.js';
import { ApiKeyList, ApiKeyListQuery, ApiKeyParams, ApiKeyResponse, CreateApiKeyBody, CreatedApiKeyResponse } from './key-schemas.js';
import { createApiKey, listApiKeys, revokeApiKey } from './key-store.js';

const UUID_PART = /^[0-9a-f-]{36}$/i;

export function registerKeyRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const tags = ['keys'];

  app.get<{ Querystring: Static<typeof ApiKeyListQuery> }>(
    '/api/v1/keys',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags,
        summary: 'List API keys',
        description: 'Each key by its hint, with when it was created, last used and revoked. The keys themselves are never shown again.',
        querystring: ApiKeyListQuery,
        response: { 200: ApiKeyList, ...errorResponses },
      },
    },
    async (request) => {
      const scope = await readScope(ctx, principalOf(request), request.query.tenant_id);
      const limit = pageLimit(request.query.limit);
      const [after] = decodeCursor(request.query.before, 1, UUID_PART) ?? [];
      const page = nextCursor(await listApiKeys(ctx.sql, scope, { limit, after }), limit, (k) => [k.id]);
      return { data: page.rows.map(presentApiKey), paging: { before: page.before } };
    },
  );

  app.post<{ Body: Static<typeof CreateApiKeyBody> }>(
    '/api/v1/keys',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags,
        summary: 'Create an API key',
        description: 'The key is in this answer only. The operator names the tenant with tenant_id.',
        body: CreateApiKeyBody,
        response: { 200: CreatedApiKeyResponse, ...errorResponses },
      },
    },
    async (request) => {
      const name = request.body.name.trim();
      if (name.length === 0) throw invalidParameter('Param name must contain a visible character.');
      const tenantId = await actingTenant(ctx, principalOf(request), request.body.tenant_id);
      const { row, key } = await createApiKey(ctx.sql, tenantId, name, new Date(ctx.clock.now()));
      return { ...presentApiKey(row), api_key: key };
    },
  );

  app.delete<{ Params: Static<typeof ApiKeyParams> }>(
    '/api/v1/keys/:id',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags,
        summary: 'Revoke an API key',
        description: 'Requests with the key are refused (code 190) from now on. Revoking a revoked key changes nothing.',
        params: ApiKeyParams,
        response: { 200: ApiKeyResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const scope = await readScope(ctx, principalOf(request), undefined);
      const row = isUuid(id) ? await revokeApiKey(ctx.sql, scope, id, new Date(ctx.clock.now())) : undefined;
      if (!row) throw unknownObject(id, 'delete');
      forgetCachedKeys(ctx);
      return presentApiKey(row);
    },
  );
}
