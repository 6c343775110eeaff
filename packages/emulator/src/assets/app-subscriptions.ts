/**
 * An app's webhook subscriptions, as `/{app-id}/subscriptions` works on Meta (reference §2.2),
 * callable only with that app's token ("{app-id}|{app-secret}"):
 *   POST   object, callback_url, verify_token, fields (comma list or array): Meta's GET handshake
 *          runs first; posting again replaces the URL and token and adds the fields.
 *   GET    {data:[{object, callback_url, active, fields:[{name, version}]}]}
 *   DELETE object? fields?: removes those fields, the object's subscription, or all of them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GraphError, invalidParameter, noPermission, unknownObject } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import { authenticate } from '../graph/auth.js';
import type { App } from '../state/types.js';
import { verifyCallback } from '../webhooks/verify-callback.js';
import { idParam, optionalList, optionalString, paramsOf, requiredString } from './params.js';
import { SUBSCRIPTION_OBJECTS, WABA_WEBHOOK_FIELDS } from './webhook-fields.js';

export function registerAppSubscriptionRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post('/:id/subscriptions', async (request) => {
    const target = appCall(ctx, request);
    const params = paramsOf(request);
    const object = subscriptionObject(requiredString(params, 'object'));
    const callbackUrl = requiredString(params, 'callback_url');
    const verifyToken = requiredString(params, 'verify_token');
    const fields = optionalList(params, 'fields');
    if (!fields || fields.length === 0) throw invalidParameter('Param fields is required: the webhook fields to subscribe to.');
    if (object === 'whatsapp_business_account') {
      fields.forEach((field, i) => {
        if (!WABA_WEBHOOK_FIELDS.includes(field)) {
          throw invalidParameter(`Param fields[${i}] must be one of {${WABA_WEBHOOK_FIELDS.join(', ')}}; got "${field}".`);
        }
      });
    }
    await verifyCallback(callbackUrl, verifyToken);
    const existing = target.subscriptions.get(object);
    target.subscriptions.set(object, {
      object,
      callbackUrl,
      verifyToken,
      fields: new Set([...(existing?.fields ?? []), ...fields]),
      active: true,
    });
    return { success: true };
  });

  app.get('/:id/subscriptions', async (request) => {
    const target = appCall(ctx, request);
    return {
      data: [...target.subscriptions.values()].map((s) => ({
        object: s.object,
        callback_url: s.callbackUrl,
        active: s.active,
        fields: [...s.fields].sort().map((name) => ({ name, version: target.webhookVersion })),
      })),
    };
  });

  app.delete('/:id/subscriptions', async (request) => {
    const target = appCall(ctx, request);
    const params = paramsOf(request);
    const objectParam = optionalString(params, 'object');
    const fields = optionalList(params, 'fields');
    if (objectParam === undefined) {
      if (fields) throw invalidParameter('Param object is required with fields.');
      target.subscriptions.clear();
      return { success: true };
    }
    const object = subscriptionObject(objectParam);
    const subscription = target.subscriptions.get(object);
    if (!fields || fields.length === 0 || !subscription) {
      target.subscriptions.delete(object);
      return { success: true };
    }
    for (const field of fields) subscription.fields.delete(field);
    // An empty field set would mean "every field" to the dispatcher; Meta drops the subscription.
    if (subscription.fields.size === 0) target.subscriptions.delete(object);
    return { success: true };
  });
}

/** The app named in the path, if the caller holds that app's token. */
function appCall(ctx: EmulatorContext, request: FastifyRequest): App {
  const principal = authenticate(ctx, request);
  const id = idParam(request);
  const target = ctx.state.apps.get(id);
  if (!target) throw unknownObject(id, request.method.toLowerCase());
  if (principal.kind !== 'app') {
    throw new GraphError(15, {
      message: '(#15) This method must be called with an app access_token.',
      details: 'Call /{app-id}/subscriptions with the app token "{app-id}|{app-secret}".',
    });
  }
  if (principal.app.id !== target.id) throw noPermission();
  return target;
}

function subscriptionObject(object: string): string {
  if (!SUBSCRIPTION_OBJECTS.includes(object)) throw invalidParameter(`Param object must be one of ${SUBSCRIPTION_OBJECTS.join(', ')}.`);
  return object;
}
