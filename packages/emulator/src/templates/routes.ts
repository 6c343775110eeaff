/**
 * Graph API routes of the templates module (reference §1.3):
 *   POST   /{waba-id}/message_templates                 create → {id, status, category}
 *   GET    /{waba-id}/message_templates                 list (fields, name/status/category/language, limit, cursors)
 *   DELETE /{waba-id}/message_templates?name=           every language of a name
 *   DELETE /{waba-id}/message_templates?hsm_id=&name=   one template (also hsm_ids=[…])
 *   GET    /{template-id}                               the template node (fields)
 *   POST   /{template-id}                               edit → {success: true}
 *   POST   /{template-id}/unpause                       end a pause → {success: true}
 * plus the control API in control-routes.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorCode, GraphError, unknownObject } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import { authenticate, wabaFor } from '../graph/auth.js';
import type { Template } from './template.js';
import { registerTemplateControlRoutes } from './control-routes.js';
import { listTemplates } from './template-listing.js';
import { parseTemplateFields, presentTemplate } from './template-presenter.js';
import { unpause } from './template-quality.js';
import { createTemplate, deleteTemplates, editTemplate } from './template-service.js';

/** Graph parameters may come in the query string, the JSON body or a form body. */
function paramsOf(request: FastifyRequest): Record<string, unknown> {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const body = request.body;
  return { ...query, ...(body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {}) };
}

export function registerTemplatesRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  /** The template if the caller may see it: 100/33 when unknown, 200 when another business's. */
  const templateFor = (request: FastifyRequest, id: string, method: string): Template => {
    const principal = authenticate(ctx, request);
    const t = ctx.state.templates.get(id);
    if (!t) throw unknownObject(id, method);
    wabaFor(ctx, principal, t.wabaId, method);
    return t;
  };

  ctx.nodes.register({
    name: 'message_template',
    has: (id) => ctx.state.templates.has(id),
    get: async (id, request) => {
      const t = templateFor(request, id, 'get');
      return presentTemplate(t, parseTemplateFields((request.query as Record<string, unknown> | undefined)?.fields));
    },
    post: async (id, request) => {
      const t = templateFor(request, id, 'post');
      editTemplate(ctx, t, paramsOf(request));
      return { success: true };
    },
  });

  app.post('/:id/unpause', async (request) => {
    const { id } = request.params as { id: string };
    const t = templateFor(request, id, 'post');
    if (!unpause(ctx, t)) {
      throw new GraphError(ErrorCode.InvalidParameter, {
        details: `Template ${t.name} (${t.language}) is ${t.status}; only PAUSED templates can be unpaused.`,
        userTitle: 'Template Is Not Paused',
        userMessage: 'Only paused message templates can be unpaused.',
      });
    }
    return { success: true };
  });

  app.get('/:id/message_templates', async (request) => {
    const { id } = request.params as { id: string };
    const waba = wabaFor(ctx, authenticate(ctx, request), id, 'get');
    return listTemplates(ctx, waba, request);
  });

  app.post('/:id/message_templates', async (request) => {
    const { id } = request.params as { id: string };
    const waba = wabaFor(ctx, authenticate(ctx, request), id, 'post');
    const t = createTemplate(ctx, waba, paramsOf(request));
    return { id: t.id, status: t.status, category: t.category };
  });

  app.delete('/:id/message_templates', async (request) => {
    const { id } = request.params as { id: string };
    const waba = wabaFor(ctx, authenticate(ctx, request), id, 'delete');
    deleteTemplates(ctx, waba, paramsOf(request));
    return { success: true };
  });

  registerTemplateControlRoutes(app, ctx);
}
