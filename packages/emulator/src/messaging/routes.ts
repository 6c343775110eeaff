/**
 * Graph API and control routes of messaging, and of the modules that share its runtime (users,
 * media): `POST /{phone-number-id}/messages`, `GET /_emulator/messages/{wamid}`,
 * `GET /_emulator/limits/{business-id}`, the users' control routes and the media routes.
 */
import type { FastifyInstance } from 'fastify';
import { invalidParameter } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import { registerMediaRoutes } from '../media/routes.js';
import { registerUsersRoutes } from '../users/routes.js';
import { createMessagingRuntime } from './messaging-runtime.js';
import { presentMessage } from './present-message.js';
import { handleSend } from './send-message.js';

export function registerMessagingRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const runtime = createMessagingRuntime(ctx);

  app.post('/:phoneNumberId/messages', async (request) => {
    const { phoneNumberId } = request.params as { phoneNumberId: string };
    return handleSend(runtime, request, phoneNumberId);
  });

  app.get('/_emulator/messages/:wamid', async (request) => {
    const { wamid } = request.params as { wamid: string };
    const message = ctx.state.messages.get(wamid);
    if (!message) throw invalidParameter(`No message ${wamid} is known (or it left the bounded history).`);
    return presentMessage(message);
  });

  app.get('/_emulator/limits/:businessId', async (request) => {
    const { businessId } = request.params as { businessId: string };
    const business = ctx.state.businesses.get(businessId);
    if (!business) throw invalidParameter(`No business ${businessId}.`);
    return runtime.limits.usage(business, ctx.clock.now());
  });

  registerUsersRoutes(app, runtime);
  registerMediaRoutes(app, runtime);
}
