/** GET /api/v1/conversations: customer-service windows per user and number, open or not right now. */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { PlatformContext } from '../../context.js';
import { apiAuth, principalOf } from '../api-auth.js';
import { decodeCursor, nextCursor } from '../cursor.js';
import { errorResponses, pageLimit } from '../schemas.js';
import { readScope } from '../tenant-scope.js';
import { ConversationList, ConversationListQuery, type Conversation } from './conversation-schemas.js';
import { listConversations, SERVICE_WINDOW_MS, type ConversationRow } from './conversation-store.js';

function presentConversation(row: ConversationRow, now: number): Static<typeof Conversation> {
  const expires = row.last_inbound_at.getTime() + SERVICE_WINDOW_MS;
  return {
    phone_number_id: row.phone_number_id,
    wa_id: row.wa_id,
    tenant_id: row.tenant_id,
    last_inbound_at: row.last_inbound_at.toISOString(),
    window_expires_at: new Date(expires).toISOString(),
    open: now < expires,
    fep_expires_at: row.fep_expires_at?.toISOString() ?? null,
  };
}

export function registerConversationRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  app.get<{ Querystring: Static<typeof ConversationListQuery> }>(
    '/api/v1/conversations',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags: ['conversations'],
        summary: 'List customer-service windows',
        description:
          'One entry per user and number: when the user last wrote, until when free-form replies are allowed (24 h later), ' +
          'whether that is still the case now, and the free-entry-point window if one was opened.',
        querystring: ConversationListQuery,
        response: { 200: ConversationList, ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const scope = await readScope(ctx, principalOf(request), query.tenant_id);
      const limit = pageLimit(query.limit);
      const after = decodeCursor(query.before, 2, /^[0-9A-Za-z_.:-]{1,64}$/) as [string, string] | undefined;
      const now = ctx.clock.now();
      const rows = await listConversations(ctx.sql, scope, {
        phoneNumberId: query.phone_number_id,
        waId: query.wa_id?.replace(/[\s+\-().]/g, ''),
        open: query.open,
        now: new Date(now),
        after,
        limit,
      });
      const page = nextCursor(rows, limit, (c) => [c.phone_number_id, c.wa_id]);
      return { data: page.rows.map((c) => presentConversation(c, now)), paging: { before: page.before } };
    },
  );
}
