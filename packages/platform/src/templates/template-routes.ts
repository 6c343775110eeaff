/**
 * /api/v1 routes of the templates module (the Cloud-API-compatible calls are in
 * messaging/routes.ts and call create-template.ts, edit-template.ts and delete-templates.ts):
 *   GET  /api/v1/templates          the local copy: status, reason, category, quality, pause
 *   GET  /api/v1/templates/{id}     one template
 *   POST /api/v1/templates:sync     read the tenant's WABAs' templates from Meta now
 */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { GraphError, unknownObject } from '@switchboard/wire';
import { apiAuth, principalOf } from '../api/api-auth.js';
import { decodeCursor, nextCursor } from '../api/cursor.js';
import { errorResponses, pageLimit } from '../api/schemas.js';
import { actingTenant, readScope } from '../api/tenant-scope.js';
import type { PlatformContext } from '../context.js';
import { TEMPLATES_CHANNEL } from './apply-template-webhook.js';
import { syncWabaTemplates } from './sync-templates.js';
import type { TemplateListRow } from './template-store.js';
import { findTemplate, listTemplates, wabasToSync } from './template-store.js';
import { SyncAnswer, SyncQuery, TAGS, Template, TemplateList, TemplateListQuery, TemplateParams, TemplateQuery } from './template-schemas.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

function presentTemplate(t: TemplateListRow): Static<typeof Template> {
  return {
    id: t.id,
    tenant_id: t.tenant_id,
    waba_id: t.waba_id,
    name: t.name,
    language: t.language,
    status: t.status,
    category: t.category,
    previous_category: t.previous_category,
    correct_category: t.correct_category,
    category_change_at: iso(t.category_change_at),
    rejected_reason: t.rejected_reason,
    rejection_info: t.rejection_info,
    quality_score: t.quality_score,
    pause_reason: t.pause_reason,
    paused_until: iso(t.paused_until),
    parameter_format: t.parameter_format,
    components: t.components,
    message_send_ttl_seconds: t.message_send_ttl_seconds,
    stale: t.stale,
    read_at: iso(t.read_at),
    synced_at: iso(t.synced_at),
    created_at: t.created_at.toISOString(),
    updated_at: t.updated_at.toISOString(),
  };
}

export function registerTemplateRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const onRequest = apiAuth(ctx, 'tenant');

  app.get<{ Querystring: TemplateListQuery }>(
    '/api/v1/templates',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'List templates',
        description:
          'The platform’s copy of every template of the tenant’s WABAs, kept current by Meta’s template webhooks, a periodic ' +
          'reconcile and POST /api/v1/templates:sync. Ordered by WABA, name and language.',
        querystring: TemplateListQuery,
        response: { 200: TemplateList, ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const scope = await readScope(ctx, principalOf(request), query.tenant_id);
      const limit = pageLimit(query.limit);
      const after = decodeCursor(query.before, 3, /^.{1,512}$/s) as [string, string, string] | undefined;
      const rows = await listTemplates(ctx.sql, scope, {
        wabaId: query.waba_id,
        name: query.name,
        language: query.language,
        status: query.status,
        category: query.category,
        after,
        limit,
      });
      const page = nextCursor(rows, limit, (t) => [t.waba_id, t.name, t.language]);
      return { data: page.rows.map(presentTemplate), paging: { before: page.before } };
    },
  );

  app.get<{ Params: Static<typeof TemplateParams>; Querystring: Static<typeof TemplateQuery> }>(
    '/api/v1/templates/:id',
    {
      onRequest,
      schema: { tags: TAGS, summary: 'Read a template', params: TemplateParams, querystring: TemplateQuery, response: { 200: Template, ...errorResponses } },
    },
    async (request) => {
      const scope = await readScope(ctx, principalOf(request), request.query.tenant_id);
      const row = await findTemplate(ctx.sql, scope, request.params.id);
      if (!row) throw unknownObject(request.params.id);
      return presentTemplate(row);
    },
  );

  app.post<{ Querystring: SyncQuery }>(
    '/api/v1/templates::sync',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'Read templates from Meta now',
        description:
          'Reads every template of the tenant’s WABAs (or of waba_id) from Meta and makes the local copy match: new templates ' +
          'are added, changed ones updated, ones Meta no longer lists removed. A WABA Meta refuses is reported, the others still synced.',
        querystring: SyncQuery,
        response: { 200: SyncAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      const wabaId = request.query.waba_id;
      const wabas = await wabasToSync(ctx.sql, { tenantId }, wabaId);
      if (wabaId !== undefined && wabas.length === 0) throw unknownObject(wabaId, 'post');
      const data = [];
      for (const id of wabas) {
        try {
          data.push({ ...(await syncWabaTemplates(ctx, id)), error: null });
        } catch (err) {
          if (!(err instanceof GraphError)) throw err;
          data.push({ waba_id: id, templates: 0, added: 0, updated: 0, removed: 0, unchanged: 0, error: `${err.message}${err.details ? `: ${err.details}` : ''}` });
        }
      }
      // The reconcile worker re-arms on the new due times.
      await ctx.sql`select pg_notify(${TEMPLATES_CHANNEL}, '')`;
      return { data };
    },
  );
}
