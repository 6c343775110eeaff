/** GET /api/v1/inbound-messages: what users sent to the tenant's numbers, read-only. */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { PlatformContext } from '../../context.js';
import { apiAuth, principalOf } from '../api-auth.js';
import { decodeCursor, nextCursor } from '../cursor.js';
import { errorResponses, pageLimit } from '../schemas.js';
import { readScope } from '../tenant-scope.js';
import { InboundMessageList, InboundMessageListQuery, type InboundMessage } from './inbound-message-schemas.js';
import { listInboundMessages, type InboundMessageRow } from './inbound-message-store.js';

function presentInboundMessage(row: InboundMessageRow): Static<typeof InboundMessage> {
  return {
    wamid: row.meta_wamid,
    tenant_id: row.tenant_id,
    phone_number_id: row.phone_number_id,
    from: row.sender,
    type: row.type,
    message: row.body,
    content_redacted_at: row.content_redacted_at?.toISOString() ?? null,
    sent_at: row.sent_at.toISOString(),
    received_at: row.received_at.toISOString(),
  };
}

export function registerInboundMessageRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  app.get<{ Querystring: Static<typeof InboundMessageListQuery> }>(
    '/api/v1/inbound-messages',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags: ['messages'],
        summary: 'List received messages',
        description: 'Messages users sent to the tenant’s numbers, newest first; page with paging.before.',
        querystring: InboundMessageListQuery,
        response: { 200: InboundMessageList, ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const scope = await readScope(ctx, principalOf(request), query.tenant_id);
      const limit = pageLimit(query.limit);
      const [beforeId] = decodeCursor(query.before, 1, /^\d{1,19}$/) ?? [];
      const rows = await listInboundMessages(ctx.sql, scope, {
        phoneNumberId: query.phone_number_id,
        sender: query.from !== undefined ? query.from.replace(/[\s+\-().]/g, '') : undefined,
        beforeId,
        limit,
      });
      const page = nextCursor(rows, limit, (m) => [m.id]);
      return { data: page.rows.map(presentInboundMessage), paging: { before: page.before } };
    },
  );
}
