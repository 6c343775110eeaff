/**
 * Business portfolios (reference §1.7):
 *   GET /{business-id}                                   id, name (default), verification_status
 *   GET /{business-id}/owned_whatsapp_business_accounts  WABAs the business owns
 *   GET /{business-id}/client_whatsapp_business_accounts WABAs other businesses shared with it (its
 *                                                        system users were given access to them)
 * Only the business's own system-user tokens may read these; others get 200, unknown ids 100/33.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { noPermission, unknownObject } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import { authenticate, type Principal } from '../graph/auth.js';
import type { Business, Waba } from '../state/types.js';
import { present } from './fields.js';
import { paginate } from './paging.js';
import { idParam, paramsOf } from './params.js';
import { WABA_DEFAULT_FIELDS, WABA_NODE_TYPE, wabaPresenters } from './waba-presenter.js';

const BUSINESS_DEFAULT_FIELDS = ['id', 'name'];

export function registerBusinessRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  ctx.nodes.register({
    name: 'business',
    has: (id) => ctx.state.businesses.has(id),
    get: async (id, request) => {
      const { business } = businessCall(ctx, request, id, true);
      return present(
        {
          id: () => business.id,
          name: () => business.name,
          verification_status: () => business.verificationStatus,
        },
        paramsOf(request).fields,
        BUSINESS_DEFAULT_FIELDS,
        'Business',
      );
    },
  });

  app.get('/:id/owned_whatsapp_business_accounts', async (request) => {
    const { principal, business } = businessCall(ctx, request, idParam(request), false);
    return listWabas(ctx, request, principal, ctx.state.wabasOfBusiness(business.id));
  });

  app.get('/:id/client_whatsapp_business_accounts', async (request) => {
    const { principal, business } = businessCall(ctx, request, idParam(request), false);
    return listWabas(ctx, request, principal, clientWabas(ctx, business.id));
  });
}

/** WABAs of other businesses that this business's system users may use. */
export function clientWabas(ctx: EmulatorContext, businessId: string): Waba[] {
  const ids = new Set<string>();
  for (const token of ctx.state.tokens.values()) {
    if (token.businessId === businessId) for (const id of token.wabaIds) ids.add(id);
  }
  return [...ids].flatMap((id) => {
    const waba = ctx.state.wabas.get(id);
    return waba && waba.businessId !== businessId ? [waba] : [];
  });
}

function listWabas(ctx: EmulatorContext, request: FastifyRequest, principal: Principal, wabas: Waba[]) {
  const fields = paramsOf(request).fields;
  return paginate(ctx, request, wabas, (w) => w.id, (w) => present(wabaPresenters(ctx, w, principal), fields, WABA_DEFAULT_FIELDS, WABA_NODE_TYPE));
}

/**
 * The business if the caller may read it: a system-user token of that business, or (for the node
 * itself, `appMayRead`) an app subscribed to one of its WABAs.
 */
function businessCall(ctx: EmulatorContext, request: FastifyRequest, id: string, appMayRead: boolean): { principal: Principal; business: Business } {
  const principal = authenticate(ctx, request);
  const business = ctx.state.businesses.get(id);
  if (!business) throw unknownObject(id, request.method.toLowerCase());
  const allowed =
    principal.kind === 'user'
      ? principal.token.businessId === business.id
      : appMayRead && ctx.state.wabasOfBusiness(business.id).some((w) => w.subscribedApps.has(principal.app.id));
  if (!allowed) throw noPermission();
  return { principal, business };
}
