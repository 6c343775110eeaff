/**
 * Content retention against a real database and the platform clock: past it, what was written
 * leaves sent and received messages (the record of them stays); a message still queued keeps its
 * body until it leaves the queue; each run reads only what it has not seen.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApiTest, type ApiTest } from '../api/test-support.js';
import { readPlatformConfig } from '../config.js';
import { BATCH, pruneExpired } from './prune.js';
import { redactExpiredContent } from './redact.js';
import { startRetention } from './worker.js';

const DAY = 24 * 3_600_000;
const DAYS = 31;

describe('content retention', () => {
  let t: ApiTest;
  let tenant: Awaited<ReturnType<ApiTest['tenant']>>;
  let phoneNumberId: string;
  beforeAll(async () => {
    t = await startApiTest();
    tenant = await t.tenant();
    ({ phoneNumberId } = await t.number(tenant.tenant_id));
  });
  afterAll(async () => t.close());

  const at = (daysAgo: number) => new Date(t.clock.now() - daysAgo * DAY);
  let seq = 0;

  async function sent(daysAgo: number, body: Record<string, unknown>, options: { queued?: boolean } = {}): Promise<string> {
    const wamid = `wamid.redact-${++seq}`;
    const [row] = await t.db.sql<{ id: string }[]>`
      insert into messages (wamid, tenant_id, phone_number_id, recipient, type, body, status, created_at, updated_at)
      values (${wamid}, ${tenant.tenant_id}, ${phoneNumberId}, '15550100002', ${String(body.type)}, ${t.db.sql.json(body as never)},
              ${options.queued ? 'accepted' : 'read'}, ${at(daysAgo)}, ${at(daysAgo)})
      returning id::text`;
    if (options.queued) {
      await t.db.sql`insert into send_queue (message_id, phone_number_id, recipient) values (${row!.id}, ${phoneNumberId}, '15550100002')`;
    }
    return wamid;
  }

  async function received(daysAgo: number, message: Record<string, unknown>): Promise<void> {
    await t.db.sql`
      insert into inbound_messages (meta_wamid, tenant_id, phone_number_id, sender, type, body, sent_at, received_at)
      values (${String(message.id)}, ${tenant.tenant_id}, ${phoneNumberId}, ${String(message.from)}, ${String(message.type)},
              ${t.db.sql.json(message as never)}, ${at(daysAgo)}, ${at(daysAgo)})`;
  }

  async function detail(wamid: string) {
    const answer = await t.call('GET', `/api/v1/messages/${wamid}`, tenant.api_key);
    expect(answer.status).toBe(200);
    return answer.json as { body: unknown; content_redacted_at: string | null; status: string };
  }

  it('removes what was written from messages past the retention and keeps the record of them', async () => {
    const template = await sent(40, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '15550100002',
      type: 'template',
      biz_opaque_callback_data: 'order-17',
      template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Alice' }] }] },
    });
    const reply = await sent(32, {
      messaging_product: 'whatsapp',
      to: '15550100002',
      type: 'text',
      context: { message_id: 'wamid.user-1' },
      text: { body: 'Your parcel is at the door' },
    });
    const recent = await sent(30, { messaging_product: 'whatsapp', to: '15550100002', type: 'text', text: { body: 'still kept' } });
    await received(35, { from: '15550100002', id: 'wamid.in-old', timestamp: '1700000000', type: 'text', text: { body: 'my address is 1 Main St' } });
    await received(2, { from: '15550100002', id: 'wamid.in-new', timestamp: '1700000001', type: 'location', location: { latitude: 1, longitude: 2 } });

    expect(await redactExpiredContent(t.db.sql, DAYS, t.clock.now())).toEqual({ messages: 2, inboundMessages: 1 });

    const redacted = await detail(template);
    expect(redacted.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '15550100002',
      type: 'template',
      biz_opaque_callback_data: 'order-17',
      template: { name: 'order_update', language: { code: 'en_US' } },
    });
    expect(redacted.content_redacted_at).toBe(new Date(t.clock.now()).toISOString());
    expect(redacted.status).toBe('read');
    expect((await detail(reply)).body).toEqual({ messaging_product: 'whatsapp', to: '15550100002', type: 'text', context: { message_id: 'wamid.user-1' } });
    expect(await detail(recent)).toMatchObject({ body: { text: { body: 'still kept' } }, content_redacted_at: null });

    const inbound = await t.call('GET', '/api/v1/inbound-messages', tenant.api_key);
    expect(inbound.json.data).toEqual([
      expect.objectContaining({ wamid: 'wamid.in-new', message: expect.objectContaining({ location: { latitude: 1, longitude: 2 } }), content_redacted_at: null }),
      expect.objectContaining({
        wamid: 'wamid.in-old',
        message: { from: '15550100002', id: 'wamid.in-old', timestamp: '1700000000', type: 'text' },
        content_redacted_at: new Date(t.clock.now()).toISOString(),
      }),
    ]);

    // Nothing more is due; a day later the next message's time has come, and only it is read.
    expect(await redactExpiredContent(t.db.sql, DAYS, t.clock.now())).toEqual({ messages: 0, inboundMessages: 0 });
    expect(await redactExpiredContent(t.db.sql, DAYS, t.clock.now() + 1.5 * DAY)).toEqual({ messages: 1, inboundMessages: 0 });
    expect((await detail(recent)).body).toEqual({ messaging_product: 'whatsapp', to: '15550100002', type: 'text' });
  });

  it('keeps the body of a message still queued, and removes it once the message has left the queue', async () => {
    const queued = await sent(33, { messaging_product: 'whatsapp', to: '15550100002', type: 'text', text: { body: 'waiting for Meta' } }, { queued: true });
    const after = await sent(33, { messaging_product: 'whatsapp', to: '15550100002', type: 'text', text: { body: 'sent' } });

    expect((await redactExpiredContent(t.db.sql, DAYS, t.clock.now())).messages).toBe(1);
    expect(await detail(queued)).toMatchObject({ body: { text: { body: 'waiting for Meta' } }, content_redacted_at: null });
    expect((await detail(after)).content_redacted_at).not.toBeNull();
    const [mark] = await t.db.sql<{ waiting: string[] }[]>`select waiting::text[] from retention_marks where name = 'messages'`;
    expect(mark!.waiting).toHaveLength(1);

    expect((await redactExpiredContent(t.db.sql, DAYS, t.clock.now())).messages).toBe(0);
    await t.db.sql`delete from send_queue where message_id = (select id from messages where wamid = ${queued})`;
    expect((await redactExpiredContent(t.db.sql, DAYS, t.clock.now())).messages).toBe(1);
    expect((await detail(queued)).body).toEqual({ messaging_product: 'whatsapp', to: '15550100002', type: 'text' });
    const [left] = await t.db.sql<{ waiting: string[] }[]>`select waiting::text[] from retention_marks where name = 'messages'`;
    expect(left!.waiting).toEqual([]);
  });

  it('works through a backlog in batches', async () => {
    await t.db.sql`
      insert into messages (wamid, tenant_id, phone_number_id, recipient, type, body, status, created_at, updated_at)
      select 'wamid.backlog-' || n, ${tenant.tenant_id}, ${phoneNumberId}, '15550100003', 'text',
             jsonb_build_object('to', '15550100003', 'type', 'text', 'text', jsonb_build_object('body', 'secret ' || n)), 'read', ${at(40)}, ${at(40)}
      from generate_series(1, ${2 * BATCH + 3}) n`;
    expect((await redactExpiredContent(t.db.sql, DAYS, t.clock.now())).messages).toBe(2 * BATCH + 3);
    const [left] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from messages where body ? 'text'`;
    expect(left!.n).toBe(0);
  });

  it('keeps no webhook copy longer than the content', async () => {
    await t.db.sql`
      insert into webhook_events (tenant_id, waba_id, field, value, ordering_key, state, created_at, delivered_at)
      values (${tenant.tenant_id}, 'w', 'messages', '{"tag":"copy"}', 'k', 'delivered', ${at(33)}, ${at(33)})`;
    const policy = { metaWebhookDays: 14, tenantWebhookDays: 90 };
    expect((await pruneExpired(t.db.sql, policy, t.clock.now())).webhookEvents).toBe(0);
    expect((await pruneExpired(t.db.sql, { ...policy, messageContentDays: DAYS }, t.clock.now())).webhookEvents).toBe(1);
  });

  it('runs in the background when set, and counts what it removed in /metrics', async () => {
    const wamid = await sent(45, { messaging_product: 'whatsapp', to: '15550100002', type: 'text', text: { body: 'background' } });
    const ctx = t.platform.ctx;
    const worker = startRetention({ ...ctx, retention: { ...ctx.retention, messageContentDays: DAYS } }, { firstRunMs: 0 });
    try {
      await vi.waitFor(async () => expect((await detail(wamid)).content_redacted_at).not.toBeNull(), { timeout: 10_000 });
    } finally {
      await worker.close();
    }
    expect(ctx.metrics.render()).toMatch(/switchboard_retention_redacted_total\{table="messages"\} [1-9]/);
  });

  it('is configured in days, at least a month, and unset keeps content', () => {
    const base = { SWITCHBOARD_ENCRYPTION_KEY: 'a'.repeat(64), SWITCHBOARD_OPERATOR_KEY: 'op' };
    expect(readPlatformConfig(base).SWITCHBOARD_RETENTION_MESSAGE_CONTENT_DAYS).toBeUndefined();
    expect(readPlatformConfig({ ...base, SWITCHBOARD_RETENTION_MESSAGE_CONTENT_DAYS: '90' }).SWITCHBOARD_RETENTION_MESSAGE_CONTENT_DAYS).toBe(90);
    expect(() => readPlatformConfig({ ...base, SWITCHBOARD_RETENTION_MESSAGE_CONTENT_DAYS: '30' })).toThrow(
      /SWITCHBOARD_RETENTION_MESSAGE_CONTENT_DAYS.*at least 31/,
    );
  });
});
