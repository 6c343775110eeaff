/**
 * /api/v1 inspection and replay of a tenant's webhook events:
 *   GET  /api/v1/webhook-events               events, newest first (state, since, waba_id, field)
 *   GET  /api/v1/webhook-events/{id}          one event with every POST that carried it
 *   POST /api/v1/webhook-events/{id}/replay   queue it again (delivered or dead)
 *   POST /api/v1/webhook-events/replay        queue the dead events again, oldest first
 *   GET  /api/v1/webhook-deliveries           the delivery log: every POST, newest first
 * A tenant key sees its own tenant; the operator key sees every tenant or one (?tenant_id=).
 */
import type { FastifyInstance } from 'fastify';
import { invalidParameter, unknownObject } from '@switchboard/wire';
import { apiAuth, principalOf } from '../api/api-auth.js';
import { decodeCursor, nextCursor } from '../api/cursor.js';
import { isUuid } from '../api/ids.js';
import { errorResponses, pageLimit } from '../api/schemas.js';
import { actingTenant, readScope } from '../api/tenant-scope.js';
import type { PlatformContext } from '../context.js';
import {
  BulkReplayBody,
  BulkReplayResult,
  DeliveryListQuery,
  DeliveryPage,
  EventListQuery,
  EventPage,
  IdParams,
  TAGS,
  TenantQuery,
  WebhookEventDetail,
} from './api-schemas.js';
import { presentAttempt, presentDelivery, presentEvent } from './presenters.js';
import { parseTime } from './since.js';
import { attemptsOfEvent, findEvent, listDeliveries, listEvents } from './sql/event-queries.js';
import { deadEventSeqs, requeueEvents } from './sql/requeue-events.js';

const SEQ = /^\d{1,19}$/;

export function registerEventRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const onRequest = apiAuth(ctx, 'tenant');

  async function eventDetail(tenantId: string | null, id: string, method: string) {
    const row = isUuid(id) ? await findEvent(ctx.sql, tenantId, id) : undefined;
    if (!row) throw unknownObject(id, method);
    const attempts = await attemptsOfEvent(ctx.sql, row.seq);
    return { ...presentEvent(row, ctx.clock.now()), deliveries: attempts.map(presentAttempt), seq: row.seq, tenantId: row.tenant_id };
  }

  app.get<{ Querystring: EventListQuery }>(
    '/api/v1/webhook-events',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'List webhook events',
        description:
          'Events owed to the tenant, newest first: pending (queued or retrying), delivered, or dead (retry window over, or no URL). ' +
          'Delivered and dead events are kept for the retention the operator set (30 days by default); pending ones until they are delivered or dead.',
        querystring: EventListQuery,
        response: { 200: EventPage, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const scope = await readScope(ctx, principalOf(request), q.tenant_id);
      const limit = pageLimit(q.limit);
      const rows = await listEvents(ctx.sql, {
        tenantId: scope.tenantId,
        state: q.state,
        since: parseTime(q.since, 'since'),
        wabaId: q.waba_id,
        field: q.field,
        before: decodeCursor(q.before, 1, SEQ)?.[0],
        limit: limit + 1,
      });
      const page = nextCursor(rows, limit, (r) => [r.seq]);
      const now = ctx.clock.now();
      return { data: page.rows.map((r) => presentEvent(r, now)), paging: { before: page.before } };
    },
  );

  app.get<{ Params: IdParams; Querystring: TenantQuery }>(
    '/api/v1/webhook-events/:id',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'A webhook event with its delivery attempts',
        params: IdParams,
        querystring: TenantQuery,
        response: { 200: WebhookEventDetail, ...errorResponses },
      },
    },
    async (request) => {
      const scope = await readScope(ctx, principalOf(request), request.query.tenant_id);
      return eventDetail(scope.tenantId, request.params.id, 'get');
    },
  );

  app.post<{ Params: IdParams; Querystring: TenantQuery }>(
    '/api/v1/webhook-events/:id/replay',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'Replay a webhook event',
        description:
          'Queues a delivered or dead event again, to the URL configured now, with the same event id, and tries its destination now rather than at its backoff time. A pending event stays queued; its destination is tried now.',
        params: IdParams,
        querystring: TenantQuery,
        response: { 200: WebhookEventDetail, ...errorResponses },
      },
    },
    async (request) => {
      const scope = await readScope(ctx, principalOf(request), request.query.tenant_id);
      const event = await eventDetail(scope.tenantId, request.params.id, 'post');
      const requeued = await requeueEvents(ctx.sql, [event.seq]);
      if (event.state !== 'pending' && requeued === 0) {
        throw invalidParameter('No webhook URL is configured for this event: set one (PUT /api/v1/webhooks) and replay it again.');
      }
      return eventDetail(event.tenantId, request.params.id, 'post');
    },
  );

  app.post<{ Querystring: TenantQuery; Body: BulkReplayBody }>(
    '/api/v1/webhook-events/replay',
    {
      onRequest,
      // Every field is optional, so no body at all means "all dead events" too.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: TAGS,
        summary: 'Replay dead webhook events',
        description: 'Queues dead events again, oldest first, to the URL configured now. Call again while `replayed` equals `limit`.',
        querystring: TenantQuery,
        body: BulkReplayBody,
        response: { 200: BulkReplayResult, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      const body = request.body;
      const seqs = await deadEventSeqs(ctx.sql, tenantId, {
        since: parseTime(body.since, 'since'),
        until: parseTime(body.until, 'until'),
        wabaId: body.waba_id,
        limit: body.limit ?? 1_000,
      });
      const replayed = await requeueEvents(ctx.sql, seqs);
      return { replayed, skipped: seqs.length - replayed };
    },
  );

  app.get<{ Querystring: DeliveryListQuery }>(
    '/api/v1/webhook-deliveries',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'List webhook deliveries',
        description:
          'Every POST to a tenant URL, newest first, with its status code, error, duration and the events it carried; kept for the retention the operator set (30 days by default).',
        querystring: DeliveryListQuery,
        response: { 200: DeliveryPage, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const scope = await readScope(ctx, principalOf(request), q.tenant_id);
      const limit = pageLimit(q.limit);
      const rows = await listDeliveries(ctx.sql, {
        tenantId: scope.tenantId,
        outcome: q.outcome,
        since: parseTime(q.since, 'since'),
        before: decodeCursor(q.before, 1, SEQ)?.[0],
        limit: limit + 1,
      });
      const page = nextCursor(rows, limit, (r) => [r.id]);
      return { data: page.rows.map(presentDelivery), paging: { before: page.before } };
    },
  );
}
