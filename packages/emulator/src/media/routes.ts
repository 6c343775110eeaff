/** Graph API routes of the media module: upload, /{media-id} and the download URL. */
import type { FastifyInstance } from 'fastify';
import type { MessagingRuntime } from '../messaging/messaging-runtime.js';
import { registerMediaNode } from './media-node.js';
import { registerUploadRoute } from './upload-route.js';

export function registerMediaRoutes(app: FastifyInstance, runtime: MessagingRuntime): void {
  registerUploadRoute(app, runtime.ctx);
  registerMediaNode(app, runtime);
}
