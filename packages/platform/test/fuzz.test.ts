/**
 * Property-based fuzzing of what the outside world can send the platform: the tenant API (the
 * Cloud-API send, the Cloud-API proxies and /api/v1, with the tenant's key, another tenant's ids,
 * or no key) and Meta's webhooks (unsigned, forged, and signed junk). For every request:
 * - never a 5xx, and a refusal is in Meta's error shape;
 * - no partial writes: a refused request changes no row of any table (but the local copy of Meta's
 *   templates, which any lookup may refresh), and an accepted send adds exactly one message and its
 *   one queue row (and policy's bookkeeping: reach, windows);
 * and afterwards the platform is still healthy and the inbound processor has dealt with every
 * stored webhook (processed, or failed with its error recorded) without throwing.
 *
 * In-process (app.inject) against a real PostgreSQL and the emulator as a real server, frozen
 * clock, no background workers (so row counts move only with the request under test). No string
 * that could be taken for a URL is generated: a callback URL would make the platform call it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody, SIGNATURE_HEADER } from '@switchboard/wire';
import { InboundProcessor } from '../src/inbound/processor.js';
import { startStack, type Stack, type TenantWithNumber } from './stack.js';

const RUNS = process.env.CI ? 150 : 400;

/**
 * Local copies of Meta's state: a template lookup may fill or refresh them from Meta whatever the
 * request's answer, so they are not part of any request's own writes.
 */
const META_COPIES = new Set(['templates', 'template_syncs', 'template_refs']);
/** What accepting a send records besides the message and its queue row (policy's bookkeeping). */
const ACCEPT_BOOKKEEPING = new Set(['portfolio_reach', 'conversations']);

/** Never a URL: the platform would call it (webhook handshakes). */
const acceptable = (s: string) => !/(https?|ftp|wss?):/i.test(s);

/**
 * Strings as junk comes: empty, huge, unicode, U+0000 (which PostgreSQL cannot store: refused in
 * paths, queries and bodies), SQL, numbers as text; never a URL.
 */
const junkString = fc
  .oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '-1', '0', '1e309', 'null', 'true', '%00', "'; select 1; --", '{{1}}', 'x'.repeat(5_000), '15551234567', '+1 555 123 4567'),
  )
  .filter(acceptable);
/**
 * Strings for request bodies only: junk, plus any UTF-16 code units (unpaired surrogates among
 * them: a tenant's body with one is refused, Meta's has it replaced). Not for paths and queries,
 * where encodeURIComponent refuses unpaired surrogates.
 */
const bodyString = fc.oneof(junkString, fc.string({ unit: 'binary', maxLength: 20 }).filter(acceptable));
const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  bodyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(bodyString, { maxLength: 3 }),
  fc.dictionary(bodyString, bodyString, { maxKeys: 3 }),
);
const junkJson = fc.jsonValue({ maxDepth: 3 }).filter((v) => acceptable(JSON.stringify(v) ?? ''));

function validSend(to: string): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: {
      name: 'order_confirmation',
      language: { code: 'en_US' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'A-1' }] }],
    },
  };
}

const SEND_PATHS = [
  ['messaging_product'],
  ['to'],
  ['type'],
  ['recipient_type'],
  ['template'],
  ['template', 'name'],
  ['template', 'language'],
  ['template', 'language', 'code'],
  ['template', 'components'],
  ['template', 'components', 0, 'parameters'],
  ['template', 'components', 0, 'parameters', 0, 'text'],
  ['text'],
  ['biz_opaque_callback_data'],
  ['context'],
];

/** A valid send with one field replaced by junk or removed: the near misses validation must catch. */
const nearValidSend = fc.record({ path: fc.constantFrom(...SEND_PATHS), value: junkValue, remove: fc.boolean(), to: fc.oneof(fc.constant('15551234567'), junkString) }).map(({ path, value, remove, to }) => {
  const body = validSend(to) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = body;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object') return body;
    node = next as Record<string | number, unknown>;
  }
  const last = path.at(-1)!;
  if (remove) delete node[last];
  else node[last] = value;
  return body;
});
const otherTypes = fc.record({
  messaging_product: fc.oneof(fc.constant('whatsapp'), junkString),
  to: fc.oneof(fc.constant('15551234567'), junkString),
  type: fc.constantFrom('text', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'interactive', 'reaction', 'template', 'x'),
  text: junkValue,
  image: junkValue,
  interactive: junkValue,
  reaction: junkValue,
  location: junkValue,
  contacts: junkValue,
  status: fc.constantFrom('read', 'x'),
  message_id: junkString,
}, { requiredKeys: ['type'] });

describe('fuzzing the tenant API and /webhooks/meta', () => {
  let stack: Stack;
  let tenant: TenantWithNumber;
  let other: TenantWithNumber;
  let tables: string[];

  /** Rows of every table: the "nothing changed" check. */
  async function rowCounts(): Promise<Record<string, number>> {
    const query = tables
      .filter((t) => !META_COPIES.has(t))
      .map((t) => `select '${t}' as t, count(*)::int as n from "${t}"`)
      .join(' union all ');
    const rows = await stack.db.sql.unsafe<Array<{ t: string; n: number }>>(query);
    return Object.fromEntries(rows.map((r) => [r.t, r.n]));
  }

  async function inject(method: string, url: string, token: string | undefined, payload?: string, headers: Record<string, string> = {}) {
    const response = await stack.platform.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(payload !== undefined ? { payload } : {}),
    });
    let json: { error?: { code?: unknown; message?: unknown; fbtrace_id?: unknown } } | undefined;
    try {
      json = JSON.parse(response.body) as typeof json;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, body: response.body, json };
  }

  function expectMetaShapedRefusal(what: string, answer: Awaited<ReturnType<typeof inject>>): void {
    expect(answer.status, `${what} → ${answer.status} ${answer.body.slice(0, 300)}`).toBeLessThan(500);
    if (answer.status >= 400) {
      expect(typeof answer.json?.error?.code, `${what} → ${answer.body.slice(0, 300)}`).toBe('number');
      expect(typeof answer.json?.error?.message).toBe('string');
    }
  }

  beforeAll(async () => {
    stack = await startStack({ workers: false });
    tenant = await stack.tenantWithNumber('Fuzz');
    other = await stack.tenantWithNumber('Other');
    tables = (
      await stack.db.sql<{ name: string }[]>`
        select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`
    ).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['messages', 'send_queue', 'inbound_events', 'webhook_events', ...ACCEPT_BOOKKEEPING]));
  });
  afterAll(async () => stack?.close());

  it('sends: junk and near misses are refused in Meta’s shape and change nothing; an accepted send writes exactly its rows', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(nearValidSend, otherTypes, junkJson, fc.constant(validSend('15551234567'))),
        fc.constantFrom('own', 'other', 'junk'),
        fc.option(junkString, { nil: undefined }),
        fc.nat({ max: 9 }),
        fc.constantFrom('tenant', 'none', 'junk'),
        async (body, whose, idempotencyKey, bodyMangle, auth) => {
          const id = whose === 'own' ? tenant.sandbox.phone_number_id : whose === 'other' ? other.sandbox.phone_number_id : '99999999999999';
          const token = auth === 'tenant' ? tenant.api_key : auth === 'junk' ? 'sk_nope' : undefined;
          // One body in ten is not JSON at all (cut short).
          const raw = JSON.stringify(body) ?? 'null';
          const payload = bodyMangle === 0 ? raw.slice(0, Math.max(1, raw.length >> 1)) : raw;
          const before = await rowCounts();
          const answer = await inject('POST', `/v23.0/${id}/messages`, token, payload, idempotencyKey !== undefined ? { 'idempotency-key': idempotencyKey } : {});
          expectMetaShapedRefusal(`POST ${id}/messages ${payload.slice(0, 200)}`, answer);
          const after = await rowCounts();
          if (answer.status === 200) {
            accepted++;
            const grew = Object.keys(after).filter((t) => after[t] !== before[t] && !ACCEPT_BOOKKEEPING.has(t));
            // A replay (same Idempotency-Key) adds nothing; a new send adds its message and queue row.
            if (grew.length > 0) {
              expect(grew.sort()).toEqual(['messages', 'send_queue']);
              expect(after.messages! - before.messages!).toBe(1);
              expect(after.send_queue! - before.send_queue!).toBe(1);
            }
          } else {
            expect(after, `refused ${answer.status}: ${answer.body.slice(0, 200)}`).toEqual(before);
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('other tenant API calls: refusals are in Meta’s shape and change nothing', async () => {
    const doc = JSON.parse((await stack.platform.app.inject('/api/v1/openapi.json')).body) as { paths: Record<string, Record<string, unknown>> };
    const api = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => ({ method: method.toUpperCase(), path })));
    const cloud = [
      ['GET', '/v23.0/{id}'],
      ['POST', '/v23.0/{id}'],
      ['DELETE', '/v23.0/{id}'],
      ['GET', '/v23.0/{id}/message_templates'],
      ['POST', '/v23.0/{id}/message_templates'],
      ['DELETE', '/v23.0/{id}/message_templates'],
      ['GET', '/v23.0/{id}/phone_numbers'],
      ['GET', '/v23.0/{id}/subscribed_apps'],
      ['POST', '/v23.0/{id}/subscribed_apps'],
      ['DELETE', '/v23.0/{id}/subscribed_apps'],
      ['GET', '/v23.0/{id}/whatsapp_business_profile'],
      ['POST', '/v23.0/{id}/whatsapp_business_profile'],
      ['POST', '/v23.0/{id}/register'],
      ['POST', '/v23.0/{id}/deregister'],
      ['POST', '/v23.0/{id}/request_code'],
      ['POST', '/v23.0/{id}/verify_code'],
    ].map(([method, path]) => ({ method: method!, path: path! }));
    const operations = [...api, ...cloud];
    expect(api.length).toBeGreaterThan(10);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.oneof(
          fc.constantFrom(
            tenant.sandbox.phone_number_id,
            tenant.sandbox.waba_id,
            other.sandbox.phone_number_id,
            other.sandbox.waba_id,
            other.tenant_id,
            tenant.tenant_id,
          ),
          junkString,
        ),
        fc.dictionary(fc.constantFrom('limit', 'after', 'before', 'tenant_id', 'fields', 'name', 'state', 'since', 'phone_number_id', 'waba_id'), junkString, { maxKeys: 3 }),
        fc.option(fc.oneof(junkJson, fc.dictionary(junkString, junkValue, { maxKeys: 4 })), { nil: undefined }),
        fc.constantFrom('tenant', 'none', 'junk'),
        async (pick, id, query, body, auth) => {
          const op = operations[pick % operations.length]!;
          const path = op.path.replace(/\{[^}]+\}/g, encodeURIComponent(id) || 'x');
          const qs = new URLSearchParams(query).toString();
          const url = `${path}${qs ? `?${qs}` : ''}`;
          const token = auth === 'tenant' ? tenant.api_key : auth === 'junk' ? 'sk_nope' : undefined;
          const payload = op.method === 'GET' || op.method === 'DELETE' || body === undefined ? undefined : (JSON.stringify(body) ?? 'null');
          const before = await rowCounts();
          const answer = await inject(op.method, url, token, payload);
          expectMetaShapedRefusal(`${op.method} ${url} ${payload?.slice(0, 200) ?? ''}`, answer);
          if (answer.status >= 400) expect(await rowCounts(), `refused ${op.method} ${url}: ${answer.body.slice(0, 200)}`).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('/webhooks/meta: unsigned and forged bodies are refused and stored nowhere; signed junk never gets a 5xx', async () => {
    const secret = stack.app.secret;
    const knownIds = { waba: tenant.sandbox.waba_id, phone: tenant.sandbox.phone_number_id };
    const status = fc.record(
      { id: junkString, status: fc.constantFrom('sent', 'delivered', 'read', 'failed', 'played', 'deleted', 'x'), timestamp: junkValue, recipient_id: junkValue, errors: junkValue, pricing: junkValue, conversation: junkValue, biz_opaque_callback_data: junkValue },
      { requiredKeys: ['id', 'status'] },
    );
    const message = fc.record(
      { from: fc.oneof(fc.constant('15551234567'), junkString), id: junkString, timestamp: junkValue, type: fc.constantFrom('text', 'image', 'button', 'interactive', 'reaction', 'location', 'unsupported', 'x'), text: junkValue, image: junkValue, button: junkValue, interactive: junkValue, context: junkValue, referral: junkValue },
      { requiredKeys: ['from', 'id', 'type'] },
    );
    const change = fc.record({
      field: fc.oneof(fc.constantFrom('messages', 'message_template_status_update', 'account_update', 'phone_number_quality_update', 'user_preferences', 'security'), junkString),
      value: fc.oneof(
        junkJson,
        fc.record(
          {
            messaging_product: fc.constant('whatsapp'),
            metadata: fc.record({ display_phone_number: junkValue, phone_number_id: fc.oneof(fc.constant(knownIds.phone), junkString) }, { requiredKeys: [] }),
            statuses: fc.array(status, { maxLength: 3 }),
            messages: fc.array(message, { maxLength: 3 }),
            contacts: junkValue,
            errors: junkValue,
            event: junkValue,
            message_template_id: junkValue,
          },
          { requiredKeys: [] },
        ),
      ),
    });
    const envelope = fc.oneof(
      fc.record({ object: fc.oneof(fc.constant('whatsapp_business_account'), junkString), entry: fc.array(fc.record({ id: fc.oneof(fc.constant(knownIds.waba), junkString), time: junkValue, changes: fc.oneof(fc.array(change, { maxLength: 3 }), junkJson) }, { requiredKeys: [] }), { maxLength: 3 }) }, { requiredKeys: [] }),
      junkJson,
    );

    const [{ n: storedBefore }] = (await stack.db.sql`select count(*)::int as n from inbound_events`) as unknown as [{ n: number }];
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(envelope, fc.constantFrom('signed', 'unsigned', 'forged', 'other-body'), async (body, signing) => {
        const raw = JSON.stringify(body) ?? 'null';
        const signature = signing === 'signed' ? signBody(raw, secret) : signing === 'forged' ? signBody(raw, 'not-the-secret') : signing === 'other-body' ? signBody(`${raw} `, secret) : undefined;
        const before = await rowCounts();
        const answer = await inject('POST', '/webhooks/meta', undefined, raw, signature ? { [SIGNATURE_HEADER]: signature } : {});
        expectMetaShapedRefusal(`POST /webhooks/meta (${signing}) ${raw.slice(0, 200)}`, answer);
        const after = await rowCounts();
        if (signing !== 'signed') {
          expect(answer.status).toBe(401);
          expect(after).toEqual(before);
        } else if (answer.status === 200) {
          const grew = Object.keys(after).filter((t) => after[t] !== before[t]);
          // Stored raw (once: the same bytes again are recognised), nothing else yet.
          expect(grew.every((t) => t === 'inbound_events')).toBe(true);
          stored += after.inbound_events! - before.inbound_events!;
        } else {
          expect(after).toEqual(before);
        }
      }),
      { numRuns: RUNS },
    );
    expect(stored).toBeGreaterThan(0);

    // Processing the junk that was stored: no throw, every event dealt with, the platform healthy.
    await new InboundProcessor(stack.platform.ctx).drain();
    const [left] = (await stack.db.sql`
      select count(*)::int as n from inbound_events where processed_at is null and last_error is null`) as unknown as [{ n: number }];
    expect(left.n).toBe(0);
    const failed = await stack.db.sql<{ error: string; n: number }[]>`
      select last_error as error, count(*)::int as n from inbound_events where processed_at is null group by 1 order by 2 desc`;
    if (failed.length > 0) console.log(`[fuzz] inbound events that failed processing (of ${stored + storedBefore} stored):`, failed);
    expect((await stack.platform.app.inject('/healthz')).statusCode).toBe(200);
  });

  // PostgreSQL refuses U+0000 in text and jsonb (SQLSTATE 22P05). Found by this suite: such a send
  // was a 500 and failed every send sharing its group commit; a webhook with it was a 500 Meta
  // would retry forever.
  it('a send with U+0000 in a parameter is refused with a 4xx', async () => {
    const body = validSend('15551234567') as { template: { components: Array<{ parameters: Array<{ text: string }> }> } };
    body.template.components[0]!.parameters[0]!.text = 'a\u0000b';
    const answer = await inject('POST', `/v23.0/${tenant.sandbox.phone_number_id}/messages`, tenant.api_key, JSON.stringify(body));
    expect(answer.status).toBeLessThan(500);
    expect(answer.status).toBeGreaterThanOrEqual(400);
  });

  // A lone surrogate is valid JSON text (`"\\ud800"`) that PostgreSQL's jsonb refuses (22P02).
  it('a send with an unpaired surrogate in a parameter is refused with a 4xx', async () => {
    const raw = JSON.stringify(validSend('15551234567')).replace('"text":"', '"text":"\\ud800');
    const answer = await inject('POST', `/v23.0/${tenant.sandbox.phone_number_id}/messages`, tenant.api_key, raw);
    expect(answer.status).toBeLessThan(500);
    expect(answer.status).toBeGreaterThanOrEqual(400);
  });

  it('a signed webhook from Meta with an unpaired surrogate in a value is answered without a 5xx', async () => {
    const raw = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: tenant.sandbox.waba_id, changes: [{ field: 'messages', value: { text: 'a\ud800b' } }] }] });
    expect(raw).toContain('\\ud800');
    const answer = await inject('POST', '/webhooks/meta', undefined, raw, { [SIGNATURE_HEADER]: signBody(raw, stack.app.secret) });
    expect(answer.status).toBeLessThan(500);
  });

  it('a signed webhook from Meta that starts with a byte-order mark is stored as the parser read it', async () => {
    const raw = `\ufeff${JSON.stringify({ object: 'whatsapp_business_account', entry: [] })}`;
    const answer = await inject('POST', '/webhooks/meta', undefined, raw, { [SIGNATURE_HEADER]: signBody(raw, stack.app.secret) });
    expect(answer.status).toBeLessThan(500);
  });

  it('malformed percent-encoding and odd headers are refused in Meta\'s shape, never a 5xx', async () => {
    const ids = [tenant.sandbox.phone_number_id, tenant.sandbox.waba_id];
    const urls = [
      '/v23.0/%ZZ', '/v23.0/%E0%A4%A', '/v23.0/%ED%A0%80', '/v23.0/%C0%80/messages', `/v23.0/${ids[0]}%ED%A0%80/messages`,
      `/v23.0/${ids[1]}/message_templates?name=%ED%A0%80&limit=%ZZ`, `/v23.0/${ids[0]}?fields=%E0%A4%A`,
      '/api/v1/messages?limit=%ED%A0%80', '/api/v1/messages?after=%ZZ&limit=1e309', '/api/v1/webhooks/events?since=%E0%A4%A',
      '/api/v1/contacts/%ED%A0%80', '/api/v1/conversations?phone_number_id=%C0%80',
    ];
    for (const url of urls) {
      for (const method of ['GET', 'POST', 'DELETE']) {
        const answer = await inject(method, url, tenant.api_key, method === 'POST' ? '{}' : undefined);
        expectMetaShapedRefusal(`${method} ${url}`, answer);
      }
    }
    const send = JSON.stringify(validSend('15551234567'));
    for (const key of ['\u00ff\u00fe', 'k'.repeat(10_000), ' ']) {
      const answer = await inject('POST', `/v23.0/${ids[0]}/messages`, tenant.api_key, send, { 'idempotency-key': key });
      expectMetaShapedRefusal(`idempotency-key ${key.slice(0, 20)}`, answer);
    }
  });

  it('junk media uploads (multipart passed to Meta as it came) are refused in Meta\'s shape, never a 5xx', async () => {
    const part = (headers: string, content: string) => `--x\r\n${headers}\r\n\r\n${content}\r\n`;
    const file = (name: string) => part(`Content-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/png`, 'abc');
    const bodies: Array<[string, string]> = [
      ['multipart/form-data', ''],
      ['multipart/form-data', 'garbage'],
      ['multipart/form-data; boundary=x', 'garbage'],
      ['multipart/form-data; boundary=x', `${part('Content-Disposition: form-data; name="messaging_product"', 'whatsapp')}--x--\r\n`],
      ['multipart/form-data; boundary=x', `${file('a\u0000.png')}--x--\r\n`],
      ['multipart/form-data; boundary=x', file('a.png')],
    ];
    for (const [type, payload] of bodies) {
      for (const query of ['', '?messaging_product=whatsapp', '?messaging_product=%ED%A0%80']) {
        const answer = await inject('POST', `/v23.0/${tenant.sandbox.phone_number_id}/media${query}`, tenant.api_key, payload, { 'content-type': type });
        expectMetaShapedRefusal(`media ${type} ${query} ${JSON.stringify(payload).slice(0, 60)}`, answer);
      }
    }
  });

  it('a signed webhook from Meta with U+0000 in a value is answered without a 5xx', async () => {
    const raw = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: tenant.sandbox.waba_id, changes: [{ field: 'messages', value: { text: 'a\u0000b' } }] }] });
    const answer = await inject('POST', '/webhooks/meta', undefined, raw, { [SIGNATURE_HEADER]: signBody(raw, stack.app.secret) });
    expect(answer.status).toBeLessThan(500);
  });
});
