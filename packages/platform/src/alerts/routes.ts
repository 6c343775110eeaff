/**
 * GET /api/v1/alerts and /api/v1/alerts/{id}, POST /api/v1/alerts/{id}/acknowledge: what the platform raised for the tenant — quality
 * drops, restricted numbers and accounts, lowered limits, template pauses and recategorisations.
 * The same alerts are sent to the tenant's webhook (field switchboard_alert).
 */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { invalidParameter, unknownObject } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { actorOf, apiAuth, principalOf } from '../api/api-auth.js';
import { decodeCursor, nextCursor } from '../api/cursor.js';
import { isUuid } from '../api/ids.js';
import { errorResponses, pageLimit } from '../api/schemas.js';
import { readScope } from '../api/tenant-scope.js';
import { presentAlert } from './alert-presenter.js';
import { Alert, AlertList, AlertListQuery, AlertParams, AlertQuery } from './alert-schemas.js';
import { acknowledgeAlert, findAlert, listAlerts } from './alert-store.js';

export function registerAlertRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const tags = ['alerts'];

  app.get<{ Querystring: Static<typeof AlertListQuery> }>(
    '/api/v1/alerts',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags,
        summary: 'List alerts',
        description: 'Newest first. Filter by kind, severity, WABA, number and time.',
        querystring: AlertListQuery,
        response: { 200: AlertList, ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const scope = await readScope(ctx, principalOf(request), query.tenant_id);
      const limit = pageLimit(query.limit);
      const [beforeId] = decodeCursor(query.before, 1, /^\d{1,19}$/) ?? [];
      const since = query.since === undefined ? undefined : new Date(query.since);
      if (since !== undefined && Number.isNaN(since.getTime())) throw invalidParameter('Param since must be a date-time.');
      const rows = await listAlerts(ctx.sql, scope, {
        kind: query.kind,
        severity: query.severity,
        wabaId: query.waba_id,
        phoneNumberId: query.phone_number_id,
        since,
        acknowledged: query.acknowledged,
        beforeId,
        limit,
      });
      const page = nextCursor(rows, limit, (a) => [a.id]);
      return { data: page.rows.map(presentAlert), paging: { before: page.before } };
    },
  );

  app.get<{ Params: Static<typeof AlertParams>; Querystring: Static<typeof AlertQuery> }>(
    '/api/v1/alerts/:id',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: { tags, summary: 'Read an alert', params: AlertParams, querystring: AlertQuery, response: { 200: Alert, ...errorResponses } },
    },
    async (request) => {
      const scope = await readScope(ctx, principalOf(request), request.query.tenant_id);
      const found = isUuid(request.params.id) ? await findAlert(ctx.sql, scope, request.params.id) : undefined;
      if (!found) throw unknownObject(request.params.id);
      return presentAlert(found);
    },
  );

  app.post<{ Params: Static<typeof AlertParams>; Querystring: Static<typeof AlertQuery> }>(
    '/api/v1/alerts/:id/acknowledge',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags,
        summary: 'Acknowledge an alert',
        description: 'Records that someone has seen to it; the first acknowledgement stands, so calling it again changes nothing.',
        params: AlertParams,
        querystring: AlertQuery,
        response: { 200: Alert, ...errorResponses },
      },
    },
    async (request) => {
      const scope = await readScope(ctx, principalOf(request), request.query.tenant_id);
      const found = isUuid(request.params.id)
        ? await acknowledgeAlert(ctx.sql, scope, request.params.id, actorOf(request), new Date(ctx.clock.now()))
        : undefined;
      if (!found) throw unknownObject(request.params.id);
      return presentAlert(found);
    },
  );
}
