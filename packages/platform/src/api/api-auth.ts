/**
 * Who may call /api/v1. Two kinds of bearer: the operator key (sees every tenant and may act for
 * one with `tenant_id`) and a tenant's API key (sees only its own tenant). The principal is
 * resolved in an onRequest hook — before the body is parsed or validated — so a caller without a
 * valid key learns nothing about a route's input rules; handlers read it with principalOf().
 *
 * Other modules' /api/v1 routes use the same hook:
 *   app.get('/api/v1/…', { onRequest: apiAuth(ctx, 'tenant'), schema }, async (request) => {
 *     const scope = await readScope(ctx, principalOf(request), request.query.tenant_id); … })
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, GraphError } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { isOperator } from '../auth/operator-auth.js';
import { authenticateTenant } from '../auth/tenant-auth.js';

export type ApiPrincipal = { kind: 'operator' } | { kind: 'tenant'; tenantId: string; keyId: string };

/** 'tenant': a tenant key or the operator key; 'operator': the operator key only. */
export type ApiAccess = 'tenant' | 'operator';

const principals = new WeakMap<FastifyRequest, ApiPrincipal>();

export function operatorOnly(): GraphError {
  return new GraphError(ErrorCode.PermissionDenied, {
    message: '(#10) This endpoint needs the operator key',
    details: 'Tenant API keys cannot call operator endpoints; use the operator key.',
  });
}

export function apiAuth(ctx: PlatformContext, access: ApiAccess): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request) => {
    if (isOperator(ctx, request)) {
      principals.set(request, { kind: 'operator' });
      return;
    }
    // Throws 190 for a missing, unknown or revoked key.
    const tenant = await authenticateTenant(ctx, request);
    if (access === 'operator') throw operatorOnly();
    principals.set(request, { kind: 'tenant', tenantId: tenant.tenantId, keyId: tenant.keyId });
  };
}

export function principalOf(request: FastifyRequest): ApiPrincipal {
  const principal = principals.get(request);
  // A route without the apiAuth hook is a programming error, not a caller's.
  if (!principal) throw new Error(`route ${request.routeOptions.url} reads a principal but has no apiAuth hook`);
  return principal;
}

/** Who made the request, as recorded in audit fields: "operator", or "key:<API key id>". */
export function actorOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  return principal.kind === 'operator' ? 'operator' : `key:${principal.keyId}`;
}
