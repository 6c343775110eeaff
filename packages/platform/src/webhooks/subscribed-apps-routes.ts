/**
 * Meta's own registration calls, answered for the tenant's WABAs (reference §1.7, §2.6):
 *   POST   /{waba-id}/subscribed_apps  no body: subscribe (events go to the tenant default) and
 *                                      clear the override; {override_callback_uri (≤200),
 *                                      verify_token}: also set a WABA override, verified first
 *   GET    /{waba-id}/subscribed_apps  {data:[{whatsapp_business_api_data:{id,link,name}, override_callback_uri?}]}
 *   DELETE /{waba-id}/subscribed_apps  unsubscribe: the WABA's events are no longer owed
 * The "app" Meta would list is the tenant itself: its id and name, and the API that configures it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticateTenant } from '../auth/tenant-auth.js';
import type { PlatformContext } from '../context.js';
import { OVERRIDE_URL_MAX, parseCallback } from './callback-config.js';
import { optionalString, paramsOf } from './graph-params.js';
import { getWabaSubscription, setWabaSubscription, type WabaSubscription } from './waba-subscription.js';

function wabaIdOf(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

export function registerSubscribedAppsRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const present = (tenantId: string, s: WabaSubscription) => ({
    data: s.subscribed
      ? [
          {
            whatsapp_business_api_data: { id: tenantId, link: `${ctx.publicUrl ?? ''}/api/v1/webhooks`, name: s.tenantName },
            ...(s.overrideUrl ? { override_callback_uri: s.overrideUrl } : {}),
          },
        ]
      : [],
  });

  app.post('/:id/subscribed_apps', async (request) => {
    const { tenantId } = await authenticateTenant(ctx, request);
    const params = paramsOf(request);
    const url = optionalString(params, 'override_callback_uri');
    const change = parseCallback(url, optionalString(params, 'verify_token'), {
      url: 'override_callback_uri',
      verifyToken: 'verify_token',
      maxLength: OVERRIDE_URL_MAX,
    });
    // Posting again without an override clears the override (reference §2.6).
    await setWabaSubscription(ctx, tenantId, wabaIdOf(request), { subscribed: true, override: change.kind === 'keep' ? { kind: 'clear' } : change });
    return { success: true };
  });

  app.get('/:id/subscribed_apps', async (request) => {
    const { tenantId } = await authenticateTenant(ctx, request);
    return present(tenantId, await getWabaSubscription(ctx, tenantId, wabaIdOf(request)));
  });

  app.delete('/:id/subscribed_apps', async (request) => {
    const { tenantId } = await authenticateTenant(ctx, request);
    await setWabaSubscription(ctx, tenantId, wabaIdOf(request), { subscribed: false, override: { kind: 'clear' } }, 'delete');
    return { success: true };
  });
}
