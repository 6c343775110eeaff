/**
 * /api/v1 configuration of where a tenant's events go — the same settings as Meta's own calls:
 *   GET|PUT /api/v1/webhooks                    the tenant default (Meta's app callback)
 *   GET|PUT /api/v1/wabas/{id}/webhook          a WABA's subscription and override
 *   GET|PUT /api/v1/phone-numbers/{id}/webhook  a phone number's override
 * A new URL must pass Meta's GET handshake with its verify_token before it is stored. A tenant
 * key acts for its own tenant; the operator key names one with ?tenant_id=.
 */
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../api/schemas.js';
import { apiAuth, principalOf } from '../api/api-auth.js';
import { actingTenant } from '../api/tenant-scope.js';
import type { PlatformContext } from '../context.js';
import {
  IdParams,
  PhoneWebhook,
  PhoneWebhookBody,
  TAGS,
  TenantQuery,
  WabaWebhook,
  WabaWebhookBody,
  WebhookDefault,
  WebhookDefaultBody,
} from './api-schemas.js';
import { DEFAULT_URL_MAX, OVERRIDE_URL_MAX, parseCallback } from './callback-config.js';
import { getPhoneWebhook, updatePhoneWebhook } from './phone-override.js';
import { presentDefault, presentPhone, presentWaba } from './presenters.js';
import { getWabaSubscription, setWabaSubscription } from './waba-subscription.js';
import { getWebhookDefault, setWebhookDefault } from './webhook-default.js';

const HANDSHAKE =
  ' A new URL is called first with GET ?hub.mode=subscribe&hub.challenge=…&hub.verify_token=… and must answer 200 with the challenge.' +
  ' It must be https to a public address (loopback, private or reserved networks, and plain http, only where the operator allows them): otherwise code 100, saying so, and nothing is stored.';

export function registerConfigRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const onRequest = apiAuth(ctx, 'tenant');
  const override = { url: 'override_callback_uri', verifyToken: 'verify_token', maxLength: OVERRIDE_URL_MAX };

  app.get<{ Querystring: TenantQuery }>(
    '/api/v1/webhooks',
    {
      onRequest,
      schema: { tags: TAGS, summary: "The tenant's default webhook URL", querystring: TenantQuery, response: { 200: WebhookDefault, ...errorResponses } },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      return presentDefault(await getWebhookDefault(ctx, tenantId));
    },
  );

  app.put<{ Querystring: TenantQuery; Body: WebhookDefaultBody }>(
    '/api/v1/webhooks',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: "Set the tenant's default webhook URL",
        description: `Events go here unless a WABA or phone-number override takes them; template and account events always do.${HANDSHAKE}`,
        querystring: TenantQuery,
        body: WebhookDefaultBody,
        response: { 200: WebhookDefault, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      const change = parseCallback(request.body.url, request.body.verify_token, { url: 'url', verifyToken: 'verify_token', maxLength: DEFAULT_URL_MAX });
      return presentDefault(await setWebhookDefault(ctx, tenantId, change));
    },
  );

  app.get<{ Params: IdParams; Querystring: TenantQuery }>(
    '/api/v1/wabas/:id/webhook',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: "A WABA's webhook subscription and override",
        params: IdParams,
        querystring: TenantQuery,
        response: { 200: WabaWebhook, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      return presentWaba(await getWabaSubscription(ctx, tenantId, request.params.id));
    },
  );

  app.put<{ Params: IdParams; Querystring: TenantQuery; Body: WabaWebhookBody }>(
    '/api/v1/wabas/:id/webhook',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: "Set a WABA's webhook subscription or override",
        description: `Same as POST/DELETE /{waba-id}/subscribed_apps. Fields left out keep their value.${HANDSHAKE}`,
        params: IdParams,
        querystring: TenantQuery,
        body: WabaWebhookBody,
        response: { 200: WabaWebhook, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      const change = parseCallback(request.body.override_callback_uri, request.body.verify_token, override);
      const update = { override: change, ...(request.body.subscribed !== undefined ? { subscribed: request.body.subscribed } : {}) };
      return presentWaba(await setWabaSubscription(ctx, tenantId, request.params.id, update));
    },
  );

  app.get<{ Params: IdParams; Querystring: TenantQuery }>(
    '/api/v1/phone-numbers/:id/webhook',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: "A phone number's webhook override",
        params: IdParams,
        querystring: TenantQuery,
        response: { 200: PhoneWebhook, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      return presentPhone(await getPhoneWebhook(ctx, tenantId, request.params.id));
    },
  );

  app.put<{ Params: IdParams; Querystring: TenantQuery; Body: PhoneWebhookBody }>(
    '/api/v1/phone-numbers/:id/webhook',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: "Set or clear a phone number's webhook override",
        description: `Same as POST /{phone-number-id} with webhook_configuration.${HANDSHAKE}`,
        params: IdParams,
        querystring: TenantQuery,
        body: PhoneWebhookBody,
        response: { 200: PhoneWebhook, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      const change = parseCallback(request.body.override_callback_uri, request.body.verify_token, override);
      return presentPhone(await updatePhoneWebhook(ctx, tenantId, request.params.id, change));
    },
  );
}
