/** GET /api/v1/limits: each of the tenant's business portfolios and its messaging limit, used and left. */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { PlatformContext } from '../context.js';
import { apiAuth, principalOf } from '../api/api-auth.js';
import { errorResponses } from '../api/schemas.js';
import { readScope } from '../api/tenant-scope.js';
import { LimitsQuery, LimitsResponse } from './limits-schemas.js';
import { portfolioUsage } from './portfolio-usage.js';

export function registerLimitRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  app.get<{ Querystring: Static<typeof LimitsQuery> }>(
    '/api/v1/limits',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags: ['limits'],
        summary: 'Messaging limits of the tenant’s business portfolios',
        description:
          'The portfolio messaging limit counts unique users reached with templates outside a customer-service window in a ' +
          'moving 24 h, shared by every number of the portfolio. Past it, sends are refused with 131048 or held until a slot ' +
          'frees, as the tenant’s policy says (PUT /api/v1/policy). Per-number quality, status and throughput are in /api/v1/phone-numbers.',
        querystring: LimitsQuery,
        response: { 200: LimitsResponse, ...errorResponses },
      },
    },
    async (request) => {
      const scope = await readScope(ctx, principalOf(request), request.query.tenant_id);
      return { data: await portfolioUsage(ctx.sql, scope, new Date(ctx.clock.now())) };
    },
  );
}
