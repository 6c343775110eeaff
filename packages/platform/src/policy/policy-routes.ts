/**
 * /api/v1 routes of the policy module:
 *   GET|PUT /api/v1/policy         the tenant's settings (window enforcement, opt-in for marketing, over-limit)
 *   POST    /api/v1/messages:check a dry run of a send
 * A tenant key acts for its own tenant; the operator key names one with ?tenant_id= (settings) or
 * checks any tenant's number (dry run).
 */
import type { FastifyInstance } from 'fastify';
import { unknownObject } from '@switchboard/wire';
import { apiAuth, principalOf } from '../api/api-auth.js';
import { errorResponses } from '../api/schemas.js';
import { actingTenant } from '../api/tenant-scope.js';
import type { PlatformContext } from '../context.js';
import { numberById, numberOfTenant } from '../messaging/numbers.js';
import { checkMessage } from './dry-run.js';
import { CheckAnswer, CheckBody, PolicyQuery, PolicySettings, PolicyUpdate, TAGS } from './policy-schemas.js';
import { readTenantPolicy, setTenantPolicy, type StoredTenantPolicy } from './tenant-policy.js';

function presentPolicy(tenantId: string, p: StoredTenantPolicy) {
  return {
    tenant_id: tenantId,
    window_enforcement: p.windowEnforcement,
    require_opt_in_for_marketing: p.requireOptInForMarketing,
    over_limit: p.overLimit,
    updated_at: p.updatedAt?.toISOString() ?? null,
  };
}

export function registerPolicyRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const onRequest = apiAuth(ctx, 'tenant');

  app.get<{ Querystring: PolicyQuery }>(
    '/api/v1/policy',
    {
      onRequest,
      schema: { tags: TAGS, summary: "The tenant's policy settings", querystring: PolicyQuery, response: { 200: PolicySettings, ...errorResponses } },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      return presentPolicy(tenantId, await readTenantPolicy(ctx.sql, tenantId));
    },
  );

  app.put<{ Querystring: PolicyQuery; Body: PolicyUpdate }>(
    '/api/v1/policy',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: "Change the tenant's policy settings",
        description: 'Takes effect for the next send, on every platform process.',
        querystring: PolicyQuery,
        body: PolicyUpdate,
        response: { 200: PolicySettings, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      const body = request.body;
      return presentPolicy(
        tenantId,
        await setTenantPolicy(ctx, tenantId, {
          ...(body.window_enforcement !== undefined ? { windowEnforcement: body.window_enforcement } : {}),
          ...(body.require_opt_in_for_marketing !== undefined ? { requireOptInForMarketing: body.require_opt_in_for_marketing } : {}),
          ...(body.over_limit !== undefined ? { overLimit: body.over_limit } : {}),
        }),
      );
    },
  );

  app.post<{ Body: CheckBody }>(
    '/api/v1/messages::check',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'Dry run: would this message be accepted?',
        description:
          'Runs the send path’s validation and every policy rule (template, 24 h window, opt-in, messaging limit) without storing, ' +
          'queueing, sending or charging anything. A refusal is answered with 200 and accepted: false, the rule and Meta’s error ' +
          'body — the error POST …/messages would give, which Meta would give too. Also answers the pricing category, whether the ' +
          'customer-service window is open, and whether the message opens a free-entry-point window.',
        body: CheckBody,
        response: { 200: CheckAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { phone_number_id: id, message } = request.body;
      const number =
        principal.kind === 'tenant' ? await numberOfTenant(ctx, principal.tenantId, id) : await numberById(ctx, /^\d{1,20}$/.test(id) ? id : '');
      if (!number) throw unknownObject(id, 'post');
      return checkMessage(ctx, number, message);
    },
  );
}
