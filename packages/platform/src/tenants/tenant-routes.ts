/**
 * Tenants, for the operator: create (the API key and webhook secret are shown once), list, read.
 * A tenant may rotate its own webhook secret; the operator any tenant's.
 */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { invalidParameter, unknownObject } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { apiAuth, principalOf } from '../api/api-auth.js';
import { decodeCursor, nextCursor } from '../api/cursor.js';
import { isUuid } from '../api/ids.js';
import { errorResponses, pageLimit } from '../api/schemas.js';
import { actingTenant } from '../api/tenant-scope.js';
import { createTenant } from './create-tenant.js';
import { presentCreatedTenant, presentTenant } from './tenant-presenter.js';
import {
  CreatedTenantResponse,
  CreateTenantBody,
  TenantList,
  TenantListQuery,
  TenantParams,
  TenantResponse,
  WebhookSecretResponse,
} from './tenant-schemas.js';
import { getTenant, listTenants, rotateWebhookSecret } from './tenant-store.js';

const UUID_PART = /^[0-9a-f-]{36}$/i;

export function registerTenantRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const tags = ['tenants'];

  app.post<{ Body: Static<typeof CreateTenantBody> }>(
    '/api/v1/tenants',
    {
      onRequest: apiAuth(ctx, 'operator'),
      schema: {
        tags,
        summary: 'Create a tenant (operator)',
        description: 'Creates a tenant with its first API key and its webhook signing secret; both are shown only in this answer.',
        body: CreateTenantBody,
        response: { 200: CreatedTenantResponse, ...errorResponses },
      },
    },
    async (request) => {
      const name = request.body.name.trim();
      if (name.length === 0) throw invalidParameter('Param name must contain a visible character.');
      return presentCreatedTenant(await createTenant(ctx.sql, ctx.box, name));
    },
  );

  app.get<{ Querystring: Static<typeof TenantListQuery> }>(
    '/api/v1/tenants',
    {
      onRequest: apiAuth(ctx, 'operator'),
      schema: {
        tags,
        summary: 'List tenants (operator)',
        querystring: TenantListQuery,
        response: { 200: TenantList, ...errorResponses },
      },
    },
    async (request) => {
      const limit = pageLimit(request.query.limit);
      const [after] = decodeCursor(request.query.before, 1, UUID_PART) ?? [];
      const page = nextCursor(await listTenants(ctx.sql, { limit, after }), limit, (t) => [t.id]);
      return { data: page.rows.map(presentTenant), paging: { before: page.before } };
    },
  );

  app.get<{ Params: Static<typeof TenantParams> }>(
    '/api/v1/tenants/:id',
    {
      onRequest: apiAuth(ctx, 'operator'),
      schema: { tags, summary: 'Read a tenant (operator)', params: TenantParams, response: { 200: TenantResponse, ...errorResponses } },
    },
    async (request) => {
      const { id } = request.params;
      const tenant = isUuid(id) ? await getTenant(ctx.sql, id) : undefined;
      if (!tenant) throw unknownObject(id);
      return presentTenant(tenant);
    },
  );

  app.post<{ Params: Static<typeof TenantParams> }>(
    '/api/v1/tenants/:id/webhook-secret::rotate',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags,
        summary: "Rotate a tenant's webhook signing secret",
        description: 'A tenant rotates its own secret, the operator any tenant’s. The new secret signs every delivery from now on.',
        params: TenantParams,
        response: { 200: WebhookSecretResponse, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.params.id);
      const secret = await rotateWebhookSecret(ctx.sql, ctx.box, tenantId);
      if (secret === undefined) throw unknownObject(request.params.id);
      return { tenant_id: tenantId, webhook_secret: secret };
    },
  );
}
