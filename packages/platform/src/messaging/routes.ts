/**
 * The Cloud-API-compatible surface at the root: a client that works with Meta works with
 * Switchboard by changing its base URL and token. Sends are validated and committed here and sent
 * by the dispatcher; the other calls go to Meta with the WABA's token after an ownership check.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unknownObject } from '@switchboard/wire';
import { authenticateTenant } from '../auth/tenant-auth.js';
import type { PlatformContext } from '../context.js';
import { createTemplate } from '../templates/create-template.js';
import { deleteTemplates } from '../templates/delete-templates.js';
import { editTemplate } from '../templates/edit-template.js';
import { setPhoneWebhookOverride } from '../webhooks/phone-override.js';
import { AcceptBatcher } from './accept/accept-batcher.js';
import { acceptMessage } from './accept/accept-message.js';
import { numberOfTenant } from './numbers.js';
import { registerMediaRoutes, mediaDownloadUrl } from './proxy/media-routes.js';
import { ownedAsset, ownedPhone, ownedWaba } from './proxy/owned-assets.js';

function forwardedQuery(request: FastifyRequest): Record<string, string> {
  const query = { ...(request.query as Record<string, string>) };
  delete query.access_token;
  return query;
}

export function registerMessagingRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const batcher = new AcceptBatcher(ctx);
  let listeningUrl = '';
  app.addHook('onListen', async () => {
    const address = app.server.address();
    if (address && typeof address === 'object') listeningUrl = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  });
  registerMediaRoutes(app, ctx, () => ctx.publicUrl ?? listeningUrl);

  app.post('/:id/messages', async (request) => {
    const { tenantId } = await authenticateTenant(ctx, request);
    const number = await numberOfTenant(ctx, tenantId, (request.params as { id: string }).id);
    const key = request.headers['idempotency-key'];
    return acceptMessage(ctx, batcher, number, request.body, request.rawBody, typeof key === 'string' ? key : undefined);
  });

  // Templates and numbers of a WABA: read and managed at Meta with the WABA's token. Template changes go through the
  // templates module: checked with Meta's rules first (nothing forwarded when they fail), then kept in the local copy.
  app.get('/:id/message_templates', async (request) => {
    const { tenantId } = await authenticateTenant(ctx, request);
    const { id } = request.params as { id: string };
    const waba = await ownedWaba(ctx, tenantId, id, 'get');
    const body = await ctx.graph.call('GET', `${id}/message_templates`, { token: waba.token, query: forwardedQuery(request) });
    await rememberTemplates(ctx, tenantId, id, ((body.data as Array<{ id?: unknown }> | undefined) ?? []).map((t) => t.id));
    return body;
  });
  app.post('/:id/message_templates', async (request) => {
    const { tenantId } = await authenticateTenant(ctx, request);
    const { id } = request.params as { id: string };
    const waba = await ownedWaba(ctx, tenantId, id, 'post');
    const body = await createTemplate(ctx, { tenantId, wabaId: id, token: waba.token }, request.body ?? {});
    await rememberTemplates(ctx, tenantId, id, [body.id]);
    return body;
  });
  app.delete('/:id/message_templates', async (request) => {
    const { tenantId } = await authenticateTenant(ctx, request);
    const { id } = request.params as { id: string };
    const waba = await ownedWaba(ctx, tenantId, id, 'delete');
    return deleteTemplates(ctx, { tenantId, wabaId: id, token: waba.token }, forwardedQuery(request));
  });
  app.get('/:id/phone_numbers', async (request) => {
    const { tenantId } = await authenticateTenant(ctx, request);
    const { id } = request.params as { id: string };
    const waba = await ownedWaba(ctx, tenantId, id, 'get');
    return ctx.graph.call('GET', `${id}/phone_numbers`, { token: waba.token, query: forwardedQuery(request) });
  });

  // A number's profile and registration calls, passed to Meta for the owner.
  for (const edge of ['whatsapp_business_profile', 'request_code', 'verify_code', 'register', 'deregister']) {
    const forward = async (request: FastifyRequest, method: 'GET' | 'POST') => {
      const { tenantId } = await authenticateTenant(ctx, request);
      const { id } = request.params as { id: string };
      const phone = await ownedPhone(ctx, tenantId, id, method.toLowerCase());
      return ctx.graph.call(method, `${id}/${edge}`, {
        token: phone.token,
        query: forwardedQuery(request),
        ...(method === 'POST' ? { json: request.body ?? {} } : {}),
      });
    };
    if (edge === 'whatsapp_business_profile') app.get(`/:id/${edge}`, (request) => forward(request, 'GET'));
    app.post(`/:id/${edge}`, (request) => forward(request, 'POST'));
  }

  // /{id}: a number, WABA, template or media object of the tenant's.
  app.get('/:id', async (request) => {
    const { tenantId } = await authenticateTenant(ctx, request);
    const { id } = request.params as { id: string };
    const asset = await ownedAsset(ctx, tenantId, id, 'get');
    const body = await ctx.graph.call('GET', id, { token: asset.token, query: forwardedQuery(request) });
    if (asset.kind === 'media' && typeof body.url === 'string') body.url = mediaDownloadUrl(ctx, id) ?? body.url;
    return body;
  });
  app.post('/:id', async (request) => {
    const { tenantId } = await authenticateTenant(ctx, request);
    const { id } = request.params as { id: string };
    const asset = await ownedAsset(ctx, tenantId, id, 'post');
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (asset.kind === 'phone' && body.webhook_configuration !== undefined) {
      return setPhoneWebhookOverride(ctx, tenantId, id, body.webhook_configuration);
    }
    if (asset.kind === 'media') throw unknownObject(id, 'post');
    if (asset.kind === 'template') return editTemplate(ctx, { tenantId, wabaId: asset.wabaId, templateId: id, token: asset.token }, body);
    return ctx.graph.call('POST', id, { token: asset.token, json: body });
  });
  app.delete('/:id', async (request) => {
    const { tenantId } = await authenticateTenant(ctx, request);
    const { id } = request.params as { id: string };
    const asset = await ownedAsset(ctx, tenantId, id, 'delete');
    if (asset.kind !== 'media' && asset.kind !== 'template') throw unknownObject(id, 'delete');
    const body = await ctx.graph.call('DELETE', id, { token: asset.token, query: forwardedQuery(request) });
    if (asset.kind === 'media') await ctx.sql`delete from media where id = ${id} and tenant_id = ${tenantId}`;
    return body;
  });
}

async function rememberTemplates(ctx: PlatformContext, tenantId: string, wabaId: string, ids: unknown[]): Promise<void> {
  const valid = ids.filter((id): id is string => typeof id === 'string' && /^\d{1,20}$/.test(id));
  if (valid.length === 0) return;
  await ctx.sql`
    insert into template_refs (id, waba_id, tenant_id)
    select id, ${wabaId}, ${tenantId} from unnest(${valid}::text[]) as id
    on conflict (id) do nothing`;
}
