/**
 * Token endpoints (reference §1.7, §1.8):
 *   GET /oauth/access_token?client_id&client_secret&grant_type=client_credentials → the app token
 *   GET /debug_token?input_token=…  what a token is and which WABAs it reaches (granular_scopes),
 *                                   the way a partner learns the WABAs shared with it
 */
import type { FastifyInstance } from 'fastify';
import { GraphError, invalidParameter } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import { authenticate } from '../graph/auth.js';
import { optionalString, paramsOf, requiredString } from './params.js';

export function registerTokenRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get('/oauth/access_token', async (request) => {
    const params = paramsOf(request);
    const clientId = requiredString(params, 'client_id');
    const secret = requiredString(params, 'client_secret');
    const target = ctx.state.apps.get(clientId);
    if (!target) throw new GraphError(101, { message: 'Error validating application. Invalid application ID.', details: `No app ${clientId}.` });
    if (target.secret !== secret) throw new GraphError(1, { message: 'Error validating client secret.', http: 400, details: 'The client_secret does not match the app.' });
    const grantType = optionalString(params, 'grant_type');
    if (grantType !== 'client_credentials') {
      throw invalidParameter(
        optionalString(params, 'code') !== undefined
          ? 'Exchanging an Embedded Signup code is not supported by this emulator; use grant_type=client_credentials for the app token.'
          : 'Param grant_type must be client_credentials.',
      );
    }
    return { access_token: `${target.id}|${target.secret}`, token_type: 'bearer' };
  });

  app.get('/debug_token', async (request) => {
    authenticate(ctx, request);
    const input = requiredString(paramsOf(request), 'input_token');
    const invalid = { data: { error: { code: 190, message: 'Invalid OAuth access token.' }, is_valid: false, scopes: [] } };
    const pipe = input.indexOf('|');
    if (pipe > 0) {
      const target = ctx.state.apps.get(input.slice(0, pipe));
      if (!target || target.secret !== input.slice(pipe + 1)) return invalid;
      return { data: { app_id: target.id, type: 'APP', application: target.name, is_valid: true, scopes: [] } };
    }
    const token = ctx.state.tokens.get(input);
    const now = ctx.clock.now();
    if (!token || (token.expiresAt !== undefined && token.expiresAt <= now)) return invalid;
    const tokenApp = ctx.state.apps.get(token.appId);
    const wabaIds = new Set(token.wabaIds);
    for (const waba of ctx.state.wabasOfBusiness(token.businessId)) wabaIds.add(waba.id);
    const targets = [...wabaIds].sort();
    const seconds = (ms: number) => Math.floor(ms / 1000);
    return {
      data: {
        app_id: token.appId,
        type: 'SYSTEM_USER',
        application: tokenApp?.name ?? '',
        data_access_expires_at: 0,
        expires_at: token.expiresAt !== undefined ? seconds(token.expiresAt) : 0,
        is_valid: true,
        ...(token.issuedAt !== undefined ? { issued_at: seconds(token.issuedAt) } : {}),
        scopes: token.scopes,
        granular_scopes: token.scopes.map((scope) =>
          scope === 'business_management' ? { scope, target_ids: [token.businessId] } : { scope, target_ids: targets },
        ),
        ...(token.userId !== undefined ? { user_id: token.userId } : {}),
      },
    };
  });
}
