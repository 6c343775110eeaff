/**
 * WABAs and phone numbers under /api/v1: the operator attaches a tenant's WABA (token verified
 * with Meta, app subscribed, numbers read); tenants list and read theirs; either re-syncs a WABA
 * from Meta.
 */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { unknownObject } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { apiAuth, principalOf } from '../api/api-auth.js';
import { decodeCursor, nextCursor } from '../api/cursor.js';
import { errorResponses, pageLimit } from '../api/schemas.js';
import { readScope } from '../api/tenant-scope.js';
import { attachWaba } from './attach-waba.js';
import { presentPhoneNumber, presentWaba } from './asset-presenters.js';
import {
  AssetParams,
  AssetQuery,
  AttachWabaBody,
  PhoneNumberList,
  PhoneNumberListQuery,
  PhoneNumberResponse,
  WabaList,
  WabaListQuery,
  WabaResponse,
} from './asset-schemas.js';
import { findPhoneNumber, findWaba, listPhoneNumbers, listWabas } from './asset-store.js';
import { syncWaba } from './sync-waba.js';
import { numberLimits } from '../limits/number-limits.js';

const GRAPH_ID_PART = /^\d{1,20}$/;

export function registerAssetRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const tags = ['assets'];

  app.post<{ Body: Static<typeof AttachWabaBody> }>(
    '/api/v1/wabas',
    {
      onRequest: apiAuth(ctx, 'operator'),
      schema: {
        tags,
        summary: "Attach a WABA to a tenant (operator)",
        description:
          'Verifies the access token with Meta, subscribes the platform’s app to the WABA’s webhooks and reads its phone ' +
          'numbers. A WABA attached to another tenant is refused (code 100) and nothing changes. Attaching again for the ' +
          'same tenant replaces the token and refreshes the numbers.',
        body: AttachWabaBody,
        response: { 200: WabaResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { tenant_id, waba_id, access_token } = request.body;
      return presentWaba(await attachWaba(ctx, { tenantId: tenant_id, wabaId: waba_id, accessToken: access_token }));
    },
  );

  app.post<{ Params: Static<typeof AssetParams> }>(
    '/api/v1/wabas/:id(^[^:/]+)::sync',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags,
        summary: 'Re-read a WABA’s phone numbers from Meta',
        description: 'Refreshes the name and every number (status, quality, throughput, messaging limit) with the stored token.',
        params: AssetParams,
        response: { 200: WabaResponse, ...errorResponses },
      },
    },
    async (request) => {
      const scope = await readScope(ctx, principalOf(request), undefined);
      return presentWaba(await syncWaba(ctx, scope, request.params.id));
    },
  );

  app.get<{ Querystring: Static<typeof WabaListQuery> }>(
    '/api/v1/wabas',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: { tags, summary: 'List WABAs', querystring: WabaListQuery, response: { 200: WabaList, ...errorResponses } },
    },
    async (request) => {
      const scope = await readScope(ctx, principalOf(request), request.query.tenant_id);
      const limit = pageLimit(request.query.limit);
      const [after] = decodeCursor(request.query.before, 1, GRAPH_ID_PART) ?? [];
      const page = nextCursor(await listWabas(ctx.sql, scope, { limit, after }), limit, (w) => [w.id]);
      return { data: page.rows.map(presentWaba), paging: { before: page.before } };
    },
  );

  app.get<{ Params: Static<typeof AssetParams>; Querystring: Static<typeof AssetQuery> }>(
    '/api/v1/wabas/:id',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: { tags, summary: 'Read a WABA', params: AssetParams, querystring: AssetQuery, response: { 200: WabaResponse, ...errorResponses } },
    },
    async (request) => {
      const scope = await readScope(ctx, principalOf(request), request.query.tenant_id);
      const waba = await findWaba(ctx.sql, scope, request.params.id);
      if (!waba) throw unknownObject(request.params.id);
      return presentWaba(waba);
    },
  );

  app.get<{ Querystring: Static<typeof PhoneNumberListQuery> }>(
    '/api/v1/phone-numbers',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags,
        summary: 'List phone numbers',
        description: 'With status, quality rating, throughput (messages per second) and messaging limit as last read from Meta.',
        querystring: PhoneNumberListQuery,
        response: { 200: PhoneNumberList, ...errorResponses },
      },
    },
    async (request) => {
      const scope = await readScope(ctx, principalOf(request), request.query.tenant_id);
      const limit = pageLimit(request.query.limit);
      const [after] = decodeCursor(request.query.before, 1, GRAPH_ID_PART) ?? [];
      const rows = await listPhoneNumbers(ctx.sql, scope, { wabaId: request.query.waba_id, limit, after });
      const page = nextCursor(rows, limit, (p) => [p.id]);
      const limits = await numberLimits(ctx.sql, page.rows, new Date(ctx.clock.now()));
      return { data: page.rows.map((p) => presentPhoneNumber(p, limits)), paging: { before: page.before } };
    },
  );

  app.get<{ Params: Static<typeof AssetParams>; Querystring: Static<typeof AssetQuery> }>(
    '/api/v1/phone-numbers/:id',
    {
      onRequest: apiAuth(ctx, 'tenant'),
      schema: {
        tags,
        summary: 'Read a phone number',
        params: AssetParams,
        querystring: AssetQuery,
        response: { 200: PhoneNumberResponse, ...errorResponses },
      },
    },
    async (request) => {
      const scope = await readScope(ctx, principalOf(request), request.query.tenant_id);
      const number = await findPhoneNumber(ctx.sql, scope, request.params.id);
      if (!number) throw unknownObject(request.params.id);
      return presentPhoneNumber(number, await numberLimits(ctx.sql, [number], new Date(ctx.clock.now())));
    },
  );
}
