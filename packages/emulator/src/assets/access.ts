/**
 * The common start of every management route: authenticate, resolve the WABA or phone number the
 * path names (100/33 if unknown, 200 if not the caller's), and charge the WBMA call budget.
 */
import type { FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.js';
import { authenticate, phoneFor, wabaFor, type Principal } from '../graph/auth.js';
import type { PhoneNumber, Waba } from '../state/types.js';
import { chargeWbmaCall } from './wbma-rate-limit.js';

export interface WabaCall {
  principal: Principal;
  waba: Waba;
}

export interface PhoneCall extends WabaCall {
  phone: PhoneNumber;
}

export function wabaCall(ctx: EmulatorContext, request: FastifyRequest, id: string): WabaCall {
  const principal = authenticate(ctx, request);
  const waba = wabaFor(ctx, principal, id, request.method.toLowerCase());
  chargeWbmaCall(ctx, principal.app.id, waba);
  return { principal, waba };
}

export function phoneCall(ctx: EmulatorContext, request: FastifyRequest, id: string): PhoneCall {
  const principal = authenticate(ctx, request);
  const phone = phoneFor(ctx, principal, id, request.method.toLowerCase());
  const waba = ctx.state.wabas.get(phone.wabaId) as Waba;
  chargeWbmaCall(ctx, principal.app.id, waba);
  return { principal, waba, phone };
}
