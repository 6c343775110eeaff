/**
 * Media through the platform: uploads stream to Meta with the WABA's token and are recorded as the
 * tenant's; retrieval answers Meta's shape with a download URL on the platform (tenants hold API
 * keys, not Meta tokens); deletion and download check ownership first.
 */
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { ErrorCode, GraphError } from '@switchboard/wire';
import { authenticateTenant } from '../../auth/tenant-auth.js';
import type { PlatformContext } from '../../context.js';
import { ownedAsset, ownedPhone } from './owned-assets.js';

export const MAX_UPLOAD_BYTES = 110 * 1024 * 1024;

export function registerMediaRoutes(app: FastifyInstance, ctx: PlatformContext, publicUrl: () => string): void {
  void app.register(async (scope) => {
    // The multipart body is passed to Meta untouched, whatever the field order.
    scope.addContentTypeParser('multipart/form-data', { bodyLimit: MAX_UPLOAD_BYTES }, (_request, payload, done) => done(null, payload));
    scope.post('/:id/media', { bodyLimit: MAX_UPLOAD_BYTES }, async (request) => {
      const { tenantId } = await authenticateTenant(ctx, request);
      const { id } = request.params as { id: string };
      const phone = await ownedPhone(ctx, tenantId, id, 'post');
      const contentType = request.headers['content-type'];
      if (!contentType?.startsWith('multipart/form-data')) {
        throw new GraphError(ErrorCode.InvalidParameter, { details: 'Upload media as multipart/form-data with a file field.' });
      }
      const query = request.query as Record<string, string>;
      const body = await ctx.graph.call('POST', `${id}/media`, {
        token: phone.token,
        query: { messaging_product: query.messaging_product },
        raw: { body: request.body as Readable, contentType },
        timeoutMs: 120_000,
      });
      const mediaId = typeof body.id === 'string' ? body.id : undefined;
      if (mediaId) {
        await ctx.sql`insert into media (id, tenant_id, phone_number_id) values (${mediaId}, ${tenantId}, ${id}) on conflict (id) do nothing`;
      }
      return body;
    });
  });

  app.get('/media-download/:id', async (request, reply) => {
    const { tenantId } = await authenticateTenant(ctx, request);
    const { id } = request.params as { id: string };
    const asset = await ownedAsset(ctx, tenantId, id, 'get');
    if (asset.kind !== 'media') throw new GraphError(ErrorCode.InvalidParameter, { details: 'Not a media id.', http: 404 });
    const info = await ctx.graph.call('GET', id, { token: asset.token });
    const response = await fetch(String(info.url), { headers: { authorization: `Bearer ${asset.token}` }, signal: AbortSignal.timeout(120_000) });
    if (!response.ok || !response.body) throw new GraphError(ErrorCode.MediaDownloadError, { details: `Meta answered ${response.status} for the download.`, http: 404 });
    reply.header('content-type', response.headers.get('content-type') ?? 'application/octet-stream');
    const length = response.headers.get('content-length');
    if (length) reply.header('content-length', length);
    return reply.send(Readable.fromWeb(response.body));
  });

  ctxMediaUrl.set(ctx, (id) => `${publicUrl()}/media-download/${id}`);
}

const ctxMediaUrl = new WeakMap<PlatformContext, (id: string) => string>();

/** The platform download URL replacing Meta's in a media object. */
export function mediaDownloadUrl(ctx: PlatformContext, id: string): string | undefined {
  return ctxMediaUrl.get(ctx)?.(id);
}
