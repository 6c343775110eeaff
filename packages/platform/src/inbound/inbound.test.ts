/**
 * Webhooks from Meta into the platform: the handshake, signatures over the raw body (missing or
 * forged → 401, counted, nothing stored), and a POST carrying many messages and statuses in
 * several entries processed completely, once, with statuses moving only forward.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newWamid, serializeWebhookBody, signBody } from '@switchboard/wire';
import { sendHelloWorld, startStack, type Stack, type TenantWithNumber } from '../../test/stack.js';

describe('webhooks from Meta', () => {
  let stack: Stack;
  let a: TenantWithNumber;
  let b: TenantWithNumber;

  beforeAll(async () => {
    stack = await startStack();
    a = await stack.tenantWithNumber('A');
    b = await stack.tenantWithNumber('B');
  });
  afterAll(async () => {
    await stack.close();
  });

  const post = (body: string, signature?: string) =>
    fetch(`${stack.platformUrl}/webhooks/meta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
      body,
    });

  // Pieces of Meta's webhook body, shared by the tests below.
  const metadata = (t: TenantWithNumber) => ({ display_phone_number: '15550000000', phone_number_id: t.sandbox.phone_number_id });
  const textMessage = (from: string, text: string, timestamp = String(Math.floor(stack.clock.now() / 1000))) => ({
    from,
    id: newWamid(from),
    timestamp,
    type: 'text',
    text: { body: text },
  });

  const count = async (table: 'inbound_events' | 'inbound_messages' | 'message_statuses' | 'webhook_events') =>
    (await stack.db.sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}`))[0]!.n;

  it('answers the verification handshake only with the configured token', async () => {
    const ok = await fetch(`${stack.platformUrl}/webhooks/meta?hub.mode=subscribe&hub.challenge=4242&hub.verify_token=${stack.metaVerifyToken}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('4242');
    const bad = await fetch(`${stack.platformUrl}/webhooks/meta?hub.mode=subscribe&hub.challenge=4242&hub.verify_token=nope`);
    expect(bad.status).toBe(403);
  });

  it('refuses missing and forged signatures with 401, counts them and stores nothing', async () => {
    const before = await count('inbound_events');
    const body = serializeWebhookBody({ object: 'whatsapp_business_account', entry: [] });
    expect((await post(body)).status).toBe(401);
    expect((await post(body, signBody(body, 'not-the-secret'))).status).toBe(401);
    expect((await post(body.replace('[]', '[ ]'), signBody(body, stack.app.secret))).status).toBe(401);
    // The signature comes before parsing: a body the JSON parser would refuse is still a 401 (found by fuzzing).
    expect((await post('{"__proto__":""}')).status).toBe(401);
    expect((await post('{"entry":', signBody('{"entry":', 'not-the-secret'))).status).toBe(401);
    expect(await count('inbound_events')).toBe(before);
    const metrics = await (await fetch(`${stack.platformUrl}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_meta_webhook_signature_failures_total 5/);
    // Signed but not JSON, or poisoned: refused as bad input.
    for (const junk of ['{"entry":', '{"__proto__":{"entry":[]},"entry":[]}']) {
      const answer = await post(junk, signBody(junk, stack.app.secret));
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { error: { code: number } }).error.code).toBe(100);
    }
    expect(await count('inbound_events')).toBe(before);
  });

  it('stores concurrent POSTs as received, and a retried one once', async () => {
    const before = await count('inbound_events');
    // Key order and spacing are kept (json, not jsonb); \u escapes stay escapes.
    const bodies = [0, 1, 2].map((i) => `{"object":"whatsapp_business_account", "entry":[],"z":${i},"a":"caf\\u00e9"}`);
    const answers = await Promise.all([...bodies, bodies[0]!].map((b) => post(b, signBody(b, stack.app.secret))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(await count('inbound_events')).toBe(before + 3);
    const rows = await stack.db.sql<{ body: string }[]>`select body::text as body from inbound_events order by id desc limit 3`;
    expect(rows.map((r) => r.body).sort()).toEqual([...bodies].sort());
  });

  it('stores text PostgreSQL cannot hold (U+0000, an unpaired surrogate) as U+FFFD and processes the message', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: a.sandbox.waba_id, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: metadata(a), messages: [textMessage('15550201009', 'a\u0000b\ud800c')] } }] }],
    });
    expect(body).toContain('\\u0000b\\ud800c');
    expect((await post(body, signBody(body, stack.app.secret))).status).toBe(200);
    await vi.waitFor(async () => {
      const [row] = await stack.db.sql<{ text: string }[]>`select body->'text'->>'body' as text from inbound_messages where sender = '15550201009'`;
      expect(row?.text).toBe('a\ufffdb\ufffdc');
    });
  });

  it('processes every entry, change, message and status of one POST, once', async () => {
    // Two outbound messages of tenant A, sent through the platform, to have Meta ids to report on.
    const sent: string[] = [];
    for (const to of ['15550201001', '15550201002']) sent.push(await sendHelloWorld(stack, a, to));
    await vi.waitFor(async () => {
      const rows = await stack.db.sql`select 1 from messages where meta_wamid is not null and wamid = any(${sent})`;
      expect(rows).toHaveLength(2);
    });
    const meta = await stack.db.sql<{ wamid: string; meta_wamid: string; recipient: string }[]>`
      select wamid, meta_wamid, recipient from messages where wamid = any(${sent}) order by recipient`;
    const eventsBefore = await count('webhook_events');
    const statusesBefore = await count('message_statuses');

    const m1 = textMessage('15550201001', 'one');
    const m2 = textMessage('15550201003', 'two');
    const m3 = textMessage('15550201004', 'three');
    const status = (m: { meta_wamid: string; recipient: string }, s: string, ts: number) => ({
      id: m.meta_wamid,
      status: s,
      timestamp: String(ts),
      recipient_id: m.recipient,
    });
    const t0 = Math.floor(stack.clock.now() / 1000);
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: a.sandbox.waba_id,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: metadata(a),
                contacts: [{ wa_id: '15550201001', profile: { name: 'One' } }, { wa_id: '15550201003', profile: { name: 'Three' } }],
                messages: [m1, m2],
              },
            },
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: metadata(a),
                // read before delivered, and a duplicate: the message ends at read.
                statuses: [status(meta[0]!, 'sent', t0), status(meta[0]!, 'read', t0 + 2), status(meta[0]!, 'delivered', t0 + 1), status(meta[0]!, 'sent', t0)],
              },
            },
          ],
        },
        {
          id: b.sandbox.waba_id,
          changes: [
            { field: 'messages', value: { messaging_product: 'whatsapp', metadata: metadata(b), contacts: [{ wa_id: '15550201004' }], messages: [m3] } },
          ],
        },
        {
          id: a.sandbox.waba_id,
          changes: [
            { field: 'messages', value: { messaging_product: 'whatsapp', metadata: metadata(a), statuses: [status(meta[1]!, 'delivered', t0 + 1)] } },
            { field: 'message_template_quality_update', value: { previous_quality_score: 'UNKNOWN', new_quality_score: 'GREEN', message_template_id: 1, message_template_name: 'hello_world', message_template_language: 'en_US' } },
          ],
        },
      ],
    };
    const body = serializeWebhookBody(payload);
    expect((await post(body, signBody(body, stack.app.secret))).status).toBe(200);
    // Meta retries: the same POST again changes nothing.
    expect((await post(body, signBody(body, stack.app.secret))).status).toBe(200);

    await vi.waitFor(async () => {
      const [row] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from inbound_events where processed_at is null`;
      expect(row!.n).toBe(0);
    });
    const messages = await stack.db.sql<{ meta_wamid: string; tenant_id: string }[]>`
      select meta_wamid, tenant_id from inbound_messages where meta_wamid = any(${[m1.id, m2.id, m3.id]})`;
    expect(messages).toHaveLength(3);
    expect(messages.find((m) => m.meta_wamid === m3.id)!.tenant_id).toBe(b.tenant_id);
    const statuses = await stack.db.sql<{ wamid: string; status: string }[]>`
      select wamid, status from messages where wamid = any(${sent}) order by recipient`;
    expect(statuses.map((s) => s.status)).toEqual(['read', 'delivered']);
    expect((await count('message_statuses')) - statusesBefore).toBe(4);
    const windows = await stack.db.sql`select wa_id from conversations where wa_id = any(${['15550201001', '15550201003', '15550201004']})`;
    expect(windows).toHaveLength(3);
    // Tenant events: 3 messages + 4 distinct statuses + 1 template quality change, each once.
    const fields = await stack.db.sql<{ field: string }[]>`select field from webhook_events order by id`;
    expect((await count('webhook_events')) - eventsBefore, JSON.stringify(fields.map((f) => f.field))).toBe(8);
    const [forA] = await stack.db.sql<{ n: number }[]>`
      select count(*)::int as n from webhook_events where tenant_id = ${a.tenant_id} and value::text like ${`%${sent[0]}%`}`;
    expect(forA!.n).toBe(3);
  });

  it('processes the good events of a batch that holds a bad one, and keeps the bad one to retry', async () => {
    const message = (from: string, timestamp?: string) => ({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: a.sandbox.waba_id,
          changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: metadata(a), messages: [textMessage(from, 'hi', timestamp)] } }],
        },
      ],
    });
    const good = [message('15550202001'), message('15550202002')];
    // A timestamp no date can hold: applying it throws, which fails the batch it was claimed in.
    const bad = message('15550202003', '99999999999999999999');
    // Stored in one transaction, so one claim takes all three.
    const ids = await stack.db.sql.begin(async (tx) => {
      const rows = await tx<{ id: string }[]>`
        insert into inbound_events (body, received_at, digest)
        select b::jsonb, now(), sha256(b::bytea) from unnest(${[good[0], bad, good[1]].map((b) => JSON.stringify(b))}::text[]) as b
        returning id::text`;
      await tx`select pg_notify('switchboard_inbound', '')`;
      return rows.map((r) => r.id);
    });
    await vi.waitFor(async () => {
      const rows = await stack.db.sql<{ id: string; processed: boolean; attempts: number }[]>`
        select id::text, processed_at is not null as processed, attempts from inbound_events where id = any(${ids}::bigint[])
        order by inbound_events.id`;
      expect(rows.map((r) => [r.processed, r.attempts > 0])).toEqual([
        [true, false],
        [false, true],
        [true, false],
      ]);
    });
    const stored = await stack.db.sql`select sender from inbound_messages where sender = any(${['15550202001', '15550202002', '15550202003']}) order by sender`;
    expect(stored.map((r) => r.sender)).toEqual(['15550202001', '15550202002']);
    const [failed] = await stack.db.sql<{ last_error: string }[]>`select last_error from inbound_events where id = ${ids[1]!}::bigint`;
    expect(failed!.last_error).toMatch(/Invalid time value|out of range/i);
  });
});
