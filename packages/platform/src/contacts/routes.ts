/**
 * Contacts under /api/v1 (tenant key, or the operator key with ?tenant_id=):
 *   GET  /api/v1/contacts                 list, filter by subscription, search by number or name
 *   GET  /api/v1/contacts/{wa_id}         one contact with its audit trail
 *   PUT  /api/v1/contacts/{wa_id}         set subscription / name, with proof
 *   POST /api/v1/contacts/batch           up to 1,000 changes, per-row results
 *   POST /api/v1/contacts/import          CSV (text/csv) or JSON, per-row error report
 *   GET|PUT|DELETE /api/v1/contact-keywords   the tenant's opt-out / opt-in keywords
 */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { invalidParameter, toWaId, unknownObject } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { actorOf, apiAuth, principalOf } from '../api/api-auth.js';
import { decodeCursor, nextCursor } from '../api/cursor.js';
import { errorResponses, pageLimit } from '../api/schemas.js';
import { actingTenant } from '../api/tenant-scope.js';
import { presentContact, presentContactDetail, presentKeywords } from './contact-presenter.js';
import {
  BatchBody,
  BatchReport,
  ContactDetail,
  ContactList,
  ContactListQuery,
  ContactParams,
  ImportBody,
  ImportQuery,
  type ImportJsonBody,
  ImportReport,
  Keywords,
  PutContactBody,
  PutKeywordsBody,
  TAGS,
  TenantQuery,
} from './contact-schemas.js';
import { contactTrail, findContact, listContacts } from './contact-store.js';
import { importContacts } from './import-contacts.js';
import { resetTenantKeywords, saveTenantKeywords, tenantKeywords } from './keyword-store.js';
import { normaliseKeyword } from './keywords.js';
import { upsertContacts } from './sql/upsert-contacts.js';
import { readSubscription, SUBSCRIPTION_HELP, type ContactSource } from './subscription.js';

/** 100,000 CSV rows are a few MB; leave room for long names and JSON's overhead. */
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;
const WA_ID_PART = /^\d{6,15}$/;

/** A path's number as a wa_id; a malformed one is a contact that does not exist. */
function waIdParam(raw: string): string {
  const waId = toWaId(raw.startsWith('+') ? raw : `+${raw}`);
  if (!waId) throw unknownObject(raw);
  return waId;
}

export function registerContactRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const onRequest = apiAuth(ctx, 'tenant');
  if (!app.hasContentTypeParser('text/csv')) {
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  }

  app.get<{ Querystring: Static<typeof ContactListQuery> }>(
    '/api/v1/contacts',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'List contacts',
        description: 'In number order. Filter by subscription (TRUE, FALSE, UNSET) and search by the start of the number or part of the name.',
        querystring: ContactListQuery,
        response: { 200: ContactList, ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const tenantId = await actingTenant(ctx, principalOf(request), query.tenant_id);
      const limit = pageLimit(query.limit);
      const [after] = decodeCursor(query.before, 1, WA_ID_PART) ?? [];
      const subscription = query.subscription === undefined ? undefined : query.subscription === 'UNSET' ? null : query.subscription === 'TRUE';
      const rows = await listContacts(ctx.sql, tenantId, { subscription, search: query.search?.trim() || undefined, after, limit });
      const page = nextCursor(rows, limit, (c) => [c.wa_id]);
      return { data: page.rows.map(presentContact), paging: { before: page.before } };
    },
  );

  app.get<{ Params: Static<typeof ContactParams>; Querystring: Static<typeof TenantQuery> }>(
    '/api/v1/contacts/:wa_id',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'Read a contact with its audit trail',
        params: ContactParams,
        querystring: TenantQuery,
        response: { 200: ContactDetail, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      const waId = waIdParam(request.params.wa_id);
      const contact = await findContact(ctx.sql, tenantId, waId);
      if (!contact) throw unknownObject(request.params.wa_id);
      return presentContactDetail(contact, await contactTrail(ctx.sql, tenantId, waId));
    },
  );

  app.put<{ Params: Static<typeof ContactParams>; Querystring: Static<typeof TenantQuery>; Body: Static<typeof PutContactBody> }>(
    '/api/v1/contacts/:wa_id',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'Create or update a contact',
        description:
          'Sets the WhatsApp subscription (TRUE, FALSE, or null to unset) and/or the name. Every change of the subscription is ' +
          'kept in the audit trail with the caller, the time and the proof given.',
        params: ContactParams,
        querystring: TenantQuery,
        body: PutContactBody,
        response: { 200: ContactDetail, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      const waId = toWaId(request.params.wa_id.startsWith('+') ? request.params.wa_id : `+${request.params.wa_id}`);
      if (!waId) throw invalidParameter(`"${request.params.wa_id}" is not a phone number in international format.`);
      const { body } = request;
      const subscription = readSubscription(body.subscription);
      if (subscription.kind === 'invalid') throw invalidParameter(`Param ${SUBSCRIPTION_HELP}.`);
      await upsertContacts(
        ctx.sql,
        [{ row: 1, waId, subscription: subscription.kind === 'set' ? subscription.value : undefined, name: body.name?.trim() || null, proof: body.proof ?? null }],
        { tenantId, source: body.source ?? 'api', actor: actorOf(request), proof: null, now: new Date(ctx.clock.now()) },
      );
      return presentContactDetail((await findContact(ctx.sql, tenantId, waId))!, await contactTrail(ctx.sql, tenantId, waId));
    },
  );

  app.post<{ Querystring: Static<typeof TenantQuery>; Body: Static<typeof BatchBody> }>(
    '/api/v1/contacts/batch',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'Update up to 1,000 contacts',
        description: 'Like the import, in one transaction; a bad item is reported by its row (1-based) and does not stop the others.',
        querystring: TenantQuery,
        body: BatchBody,
        response: { 200: BatchReport, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      const source: ContactSource = request.body.source ?? 'api';
      return importContacts(ctx.sql, {
        tenantId,
        format: 'json',
        body: request.body.contacts.map((c) => ({ ...c, wa_id: typeof c.wa_id === 'number' ? `+${c.wa_id}` : c.wa_id })),
        source,
        actor: actorOf(request),
        proof: request.body.proof ?? null,
        now: new Date(ctx.clock.now()),
        withResults: true,
      });
    },
  );

  app.post<{ Querystring: Static<typeof ImportQuery>; Body: Static<typeof ImportJsonBody> | string }>(
    '/api/v1/contacts/import',
    {
      onRequest,
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: TAGS,
        summary: 'Import contacts from CSV or JSON',
        description:
          'CSV (Content-Type: text/csv) with a header line — a number column (wa_id, phone, phone_number, number, mobile or msisdn) ' +
          'and optionally subscription (TRUE/FALSE; empty leaves it as it is), name and proof — or JSON (an array of objects ' +
          'with the same keys, or {"contacts": [...]}). Numbers are normalised as Meta normalises `to`. Bad rows are reported ' +
          'and skipped, good rows are written; importing the same data again reports every row unchanged.',
        querystring: ImportQuery,
        body: ImportBody,
        response: { 200: ImportReport, ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const tenantId = await actingTenant(ctx, principalOf(request), query.tenant_id);
      return importContacts(ctx.sql, {
        tenantId,
        format: typeof request.body === 'string' ? 'csv' : 'json',
        body: request.body,
        callingCode: query.calling_code,
        source: 'import',
        actor: actorOf(request),
        proof: query.proof ?? null,
        now: new Date(ctx.clock.now()),
      });
    },
  );

  app.get<{ Querystring: Static<typeof TenantQuery> }>(
    '/api/v1/contact-keywords',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'The opt-out and opt-in keywords',
        description:
          'A message from a user that is exactly one of these (case, width and surrounding punctuation ignored) sets the ' +
          'contact FALSE (opt_out) or TRUE (opt_in), and sends the language’s reply if one is set.',
        querystring: TenantQuery,
        response: { 200: Keywords, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      return presentKeywords(await tenantKeywords(ctx.sql, tenantId));
    },
  );

  app.put<{ Querystring: Static<typeof TenantQuery>; Body: Static<typeof PutKeywordsBody> }>(
    '/api/v1/contact-keywords',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'Replace the opt-out and opt-in keywords',
        description: 'Replaces the built-in defaults (copy those you want to keep). An empty list turns keywords off.',
        querystring: TenantQuery,
        body: PutKeywordsBody,
        response: { 200: Keywords, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      const languages = request.body.languages.map((l) => {
        const clean = (list: string[], what: string) =>
          list.map((k) => {
            if (normaliseKeyword(k) === '') throw invalidParameter(`Keyword ${JSON.stringify(k)} of ${l.language} ${what} has no letters or digits.`);
            return k.trim();
          });
        return {
          language: l.language.trim(),
          optOut: clean(l.opt_out, 'opt_out'),
          optIn: clean(l.opt_in, 'opt_in'),
          optOutReply: l.opt_out_reply ?? null,
          optInReply: l.opt_in_reply ?? null,
        };
      });
      const names = languages.map((l) => l.language);
      if (names.some((n) => n === '')) throw invalidParameter('Param language must not be blank.');
      if (new Set(names).size !== names.length) throw invalidParameter('Each language may appear once.');
      await saveTenantKeywords(ctx.sql, tenantId, languages);
      return presentKeywords(await tenantKeywords(ctx.sql, tenantId));
    },
  );

  app.delete<{ Querystring: Static<typeof TenantQuery> }>(
    '/api/v1/contact-keywords',
    {
      onRequest,
      schema: {
        tags: TAGS,
        summary: 'Go back to the built-in keywords',
        querystring: TenantQuery,
        response: { 200: Keywords, ...errorResponses },
      },
    },
    async (request) => {
      const tenantId = await actingTenant(ctx, principalOf(request), request.query.tenant_id);
      await resetTenantKeywords(ctx.sql, tenantId);
      return presentKeywords(await tenantKeywords(ctx.sql, tenantId));
    },
  );
}
