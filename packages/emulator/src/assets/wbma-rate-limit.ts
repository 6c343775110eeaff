/**
 * The Business Management API's call budget (reference §4.3): 200 calls per hour per app per WABA,
 * 5,000 once the WABA has a registered (CONNECTED) number. Past it Meta answers 80008 ("Too many
 * calls to this WhatsApp Business Account"); so do we. Counted on the emulator clock over a moving
 * hour. Sending messages is not a management call and is not counted.
 */
import { ErrorCode, GraphError } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { Waba } from '../state/types.js';

export const WBMA_WINDOW_MS = 3_600_000;
export const WBMA_CALLS_PER_HOUR = 200;
export const WBMA_CALLS_PER_HOUR_ACTIVE = 5_000;

// Keyed by the WABA object, so a reset (which drops the objects) drops the counters too.
const callsByWaba = new WeakMap<Waba, Map<string, number[]>>();

/** The budget of this WABA right now. */
export function wbmaBudget(ctx: EmulatorContext, waba: Waba): number {
  const active = ctx.state.phonesOfWaba(waba.id).some((p) => p.status === 'CONNECTED');
  return active ? WBMA_CALLS_PER_HOUR_ACTIVE : WBMA_CALLS_PER_HOUR;
}

/** Counts one management call of `appId` on `waba`; throws 80008 past the budget. */
export function chargeWbmaCall(ctx: EmulatorContext, appId: string, waba: Waba): void {
  let perApp = callsByWaba.get(waba);
  if (!perApp) {
    perApp = new Map();
    callsByWaba.set(waba, perApp);
  }
  const now = ctx.clock.now();
  const calls = (perApp.get(appId) ?? []).filter((t) => t > now - WBMA_WINDOW_MS);
  const budget = wbmaBudget(ctx, waba);
  if (calls.length >= budget) {
    perApp.set(appId, calls);
    throw new GraphError(ErrorCode.WabaCallsRateLimit, {
      details: `App ${appId} made ${budget} Business Management API calls on WhatsApp Business Account ${waba.id} within one hour. Retry later.`,
    });
  }
  calls.push(now);
  perApp.set(appId, calls);
}
