/**
 * Apps subscribed to a WABA's webhooks (reference §1.7, §2.6):
 *   POST   /{waba-id}/subscribed_apps  no body: subscribe the calling app (and clear its override);
 *                                      {override_callback_uri (≤200), verify_token}: also set a
 *                                      WABA-level override, verified by Meta's GET handshake first
 *   GET    /{waba-id}/subscribed_apps  {data:[{whatsapp_business_api_data:{id,link,name}, override_callback_uri?}]}
 *   DELETE /{waba-id}/subscribed_apps  unsubscribe the calling app
 */
import type { FastifyInstance } from 'fastify';
import { invalidParameter } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import { verifyCallback } from '../webhooks/verify-callback.js';
import { wabaCall } from './access.js';
import { idParam, optionalString, paramsOf } from './params.js';
import { OVERRIDE_URL_MAX } from './phone-numbers.js';

export function registerSubscribedAppsRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post('/:id/subscribed_apps', async (request) => {
    const { principal, waba } = wabaCall(ctx, request, idParam(request));
    const params = paramsOf(request);
    const uri = optionalString(params, 'override_callback_uri');
    const verifyToken = optionalString(params, 'verify_token');
    if (uri !== undefined && uri !== '') {
      if (uri.length > OVERRIDE_URL_MAX) throw invalidParameter(`Param override_callback_uri must be at most ${OVERRIDE_URL_MAX} characters.`);
      if (!verifyToken) throw invalidParameter('Param verify_token is required with override_callback_uri.');
      await verifyCallback(uri, verifyToken);
      waba.subscribedApps.set(principal.app.id, { overrideCallbackUri: uri, verifyToken });
    } else {
      if (verifyToken !== undefined) throw invalidParameter('Param verify_token is only used with override_callback_uri.');
      // Posting again without an override clears the override (reference §2.6).
      waba.subscribedApps.set(principal.app.id, {});
    }
    return { success: true };
  });

  app.get('/:id/subscribed_apps', async (request) => {
    const { waba } = wabaCall(ctx, request, idParam(request));
    const data = [...waba.subscribedApps].flatMap(([appId, link]) => {
      const subscribed = ctx.state.apps.get(appId);
      if (!subscribed) return [];
      return [
        {
          whatsapp_business_api_data: {
            id: subscribed.id,
            link: `https://www.facebook.com/games/?app_id=${subscribed.id}`,
            name: subscribed.name,
          },
          ...(link.overrideCallbackUri ? { override_callback_uri: link.overrideCallbackUri } : {}),
        },
      ];
    });
    return { data };
  });

  app.delete('/:id/subscribed_apps', async (request) => {
    const { principal, waba } = wabaCall(ctx, request, idParam(request));
    waba.subscribedApps.delete(principal.app.id);
    return { success: true };
  });
}
