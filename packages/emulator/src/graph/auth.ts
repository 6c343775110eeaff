/**
 * Who is calling: a bearer token (header "Bearer x" or "OAuth x", or ?access_token=, or a form
 * field) resolves to an app token ("{app-id}|{app-secret}") or a system-user token with the WABAs
 * it may touch. Unknown or malformed tokens are 190 (401); a valid token without access to an
 * asset is 200 (403); an id that does not exist is 100/33, as on the Graph API.
 */
import type { FastifyRequest } from 'fastify';
import { invalidToken, noPermission, unknownObject } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { AccessToken, App, PhoneNumber, Waba } from '../state/types.js';

export type Principal = { kind: 'app'; app: App } | { kind: 'user'; token: AccessToken; app: App };

export function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim());
    if (match?.[1]) return match[1].trim();
  }
  const query = request.query as Record<string, unknown> | undefined;
  if (typeof query?.access_token === 'string') return query.access_token;
  const body = request.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && typeof body.access_token === 'string') return body.access_token;
  return undefined;
}

export function authenticate(ctx: EmulatorContext, request: FastifyRequest): Principal {
  const token = tokenOf(request);
  if (!token) throw invalidToken();
  const pipe = token.indexOf('|');
  if (pipe > 0) {
    const app = ctx.state.apps.get(token.slice(0, pipe));
    if (app && app.secret === token.slice(pipe + 1)) return { kind: 'app', app };
    throw invalidToken();
  }
  const found = ctx.state.tokens.get(token);
  if (!found || (found.expiresAt !== undefined && found.expiresAt <= ctx.clock.now())) throw invalidToken();
  const app = ctx.state.apps.get(found.appId);
  if (!app) throw invalidToken();
  return { kind: 'user', token: found, app };
}

export function canAccessWaba(principal: Principal, waba: Waba): boolean {
  if (principal.kind === 'app') return waba.subscribedApps.has(principal.app.id);
  return principal.token.wabaIds.has(waba.id) || principal.token.businessId === waba.businessId;
}

/** The WABA with this id if the caller may use it; 100/33 if unknown, 200 if not theirs. */
export function wabaFor(ctx: EmulatorContext, principal: Principal, id: string, method = 'get'): Waba {
  const waba = ctx.state.wabas.get(id);
  if (!waba) throw unknownObject(id, method);
  if (!canAccessWaba(principal, waba)) throw noPermission();
  return waba;
}

/** The phone number with this id if the caller may use it; 100/33 if unknown, 200 if not theirs. */
export function phoneFor(ctx: EmulatorContext, principal: Principal, id: string, method = 'post'): PhoneNumber {
  const phone = ctx.state.phoneNumbers.get(id);
  if (!phone) throw unknownObject(id, method);
  const waba = ctx.state.wabas.get(phone.wabaId);
  if (!waba || !canAccessWaba(principal, waba)) throw noPermission();
  return phone;
}
