/** GET /api/v1/messages and /api/v1/messages/{wamid}: the outbound history, read-only and tenant-scoped. */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { unknownObject } from '@switchboard/wire';
import type { PlatformContext } from '../../context.js';
import { apiAuth, principalOf } from '../api-auth.js';
import { decodeCursor, nextCursor } from '../cursor.js';
import { errorResponses, pageLimit } from '../schemas.js';
import { readScope } from '../tenant-scope.js';
import { presentMessage, presentMessageDetail } from './message-presenter.js';
import { MessageDetail, MessageList, MessageListQuery, MessageParams, MessageQuery } from './message-schemas.js';
import { getMessage, listMessages } from './message-store.js';

/** "+1 (555) 010-0001" → "15550100001", as recipients are stored. */
function recipientDigits(value: string): string {
  return value.replace(/[\s+\-().]/g, '');
}

export function registerMessageRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const tags = ['messages'];

  app.get<{ Querystring: Static<typeof MessageListQuery> }>(
    '/api/v1/messages',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags,
        summary: 'List sent messages',
        description: 'Newest first. Filter by sending number, recipient and status; page with paging.before.',
        querystring: MessageListQuery,
        response: { 200: MessageList, ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const scope = await readScope(ctx, principalOf(request), query.tenant_id);
      const limit = pageLimit(query.limit);
      const [beforeId] = decodeCursor(query.before, 1, /^\d{1,19}$/) ?? [];
      const rows = await listMessages(ctx.sql, scope, {
        phoneNumberId: query.phone_number_id,
        recipient: query.recipient !== undefined ? recipientDigits(query.recipient) : undefined,
        status: query.status,
        beforeId,
        limit,
      });
      const page = nextCursor(rows, limit, (m) => [m.id]);
      return { data: page.rows.map(presentMessage), paging: { before: page.before } };
    },
  );

  app.get<{ Params: Static<typeof MessageParams>; Querystring: Static<typeof MessageQuery> }>(
    '/api/v1/messages/:wamid',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags,
        summary: 'Read a sent message with its attempts and statuses',
        params: MessageParams,
        querystring: MessageQuery,
        response: { 200: MessageDetail, ...errorResponses },
      },
    },
    async (request) => {
      const scope = await readScope(ctx, principalOf(request), request.query.tenant_id);
      const found = await getMessage(ctx.sql, scope, request.params.wamid);
      if (!found) throw unknownObject(request.params.wamid);
      return presentMessageDetail(found);
    },
  );
}
