/** `GET /{waba-id}?fields=…`: a WABA as a Graph node (reference §1.7). */
import type { EmulatorContext } from '../context.js';
import { wabaCall } from './access.js';
import { present } from './fields.js';
import { paramsOf } from './params.js';
import { WABA_DEFAULT_FIELDS, WABA_NODE_TYPE, wabaPresenters } from './waba-presenter.js';

export function registerWabaNode(ctx: EmulatorContext): void {
  ctx.nodes.register({
    name: 'waba',
    has: (id) => ctx.state.wabas.has(id),
    get: async (id, request) => {
      const { principal, waba } = wabaCall(ctx, request, id);
      return present(wabaPresenters(ctx, waba, principal), paramsOf(request).fields, WABA_DEFAULT_FIELDS, WABA_NODE_TYPE);
    },
  });
}
