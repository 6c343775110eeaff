/**
 * `/{media-id}` (GET: a fresh download URL and the file's facts; DELETE) through the shared node
 * router, and the download itself: `GET <url>` with the bearer token, 404 when the URL expired,
 * the token is wrong, or the media is gone (reference §1.2).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unknownObject } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import { authenticate, phoneFor } from '../graph/auth.js';
import type { MessagingRuntime } from '../messaging/messaging-runtime.js';
import { liveMedia } from './media-store.js';
import type { Media } from './media.js';
import { MEDIA_DOWNLOAD_PATH } from './media-urls.js';

export function registerMediaNode(app: FastifyInstance, runtime: MessagingRuntime): void {
  const { ctx } = runtime;
  ctx.nodes.register({
    name: 'media',
    has: (id) => liveMedia(ctx, id) !== undefined,
    get: async (id, request) => {
      const media = accessibleMedia(ctx, request, id, 'get');
      return {
        messaging_product: 'whatsapp',
        url: runtime.mediaUrls.urlFor(ctx.baseUrl(), media, ctx.clock.now()),
        mime_type: media.mimeType,
        sha256: media.sha256,
        // A string, as in Meta's OpenAPI description (clients accept both).
        file_size: String(media.fileSize),
        id: media.id,
      };
    },
    delete: async (id, request) => {
      accessibleMedia(ctx, request, id, 'delete');
      ctx.state.media.delete(id);
      return { success: true };
    },
  });

  app.get(MEDIA_DOWNLOAD_PATH, async (request, reply) => {
    const id = runtime.mediaUrls.verify(request.query as Record<string, unknown>, ctx.clock.now());
    let media: Media | undefined;
    try {
      media = id === undefined ? undefined : accessibleMedia(ctx, request, id, 'get');
    } catch {
      // Meta's media host answers a wrong token like a missing file.
      media = undefined;
    }
    if (!media) return reply.code(404).type('text/plain').send('Not Found');
    reply.type(media.mimeType).header('content-length', media.fileSize);
    if (media.filename) reply.header('content-disposition', `attachment; filename="${media.filename.replace(/["\r\n]/g, '_')}"`);
    return reply.send(media.data);
  });
}

/** The media if the caller's token reaches its number's WABA; 100/33 otherwise, as for any id. */
function accessibleMedia(ctx: EmulatorContext, request: FastifyRequest, id: string, method: string): Media {
  const principal = authenticate(ctx, request);
  const media = liveMedia(ctx, id);
  const { phone_number_id: owner } = request.query as { phone_number_id?: string };
  if (!media || (owner !== undefined && owner !== media.phoneNumberId)) throw unknownObject(id, method);
  try {
    phoneFor(ctx, principal, media.phoneNumberId, method);
  } catch {
    throw unknownObject(id, method);
  }
  return media;
}
