import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedTenant } from '../../tenants/create-tenant.js';
import { startApiTest, type Answer, type ApiTest } from '../test-support.js';

describe('/api/v1/messages', () => {
  let t: ApiTest;
  let a: CreatedTenant;
  let phone: string;
  let other: string;
  let failedId: string;

  beforeAll(async () => {
    t = await startApiTest();
    a = await t.tenant('A');
    ({ phoneNumberId: phone } = await t.number(a.tenant_id));
    ({ phoneNumberId: other } = await t.number(a.tenant_id));
    for (let i = 1; i <= 7; i++) {
      await t.message({
        tenantId: a.tenant_id,
        phoneNumberId: i === 7 ? other : phone,
        wamid: `wamid.P${i}`,
        recipient: i % 2 ? '15550100001' : '15550100002',
        status: i === 3 ? 'delivered' : 'accepted',
        metaWamid: `wamid.META${i}`,
      });
    }
    failedId = await t.message({ tenantId: a.tenant_id, phoneNumberId: phone, wamid: 'wamid.F', status: 'failed', metaWamid: 'wamid.METAF' });
    const at = new Date(t.clock.now());
    await t.db.sql`update messages set attempts = 2, error = ${t.db.sql.json({ code: 131026, details: 'Message undeliverable' })} where id = ${failedId}`;
    await t.db.sql`
      insert into message_attempts (message_id, attempt, started_at, finished_at, outcome, http_status, meta_code, response) values
        (${failedId}, 1, ${at}, ${at}, 'retry', 503, 2, ${t.db.sql.json({ error: { message: '(#2) Service unavailable', code: 2, error_data: { details: 'try later' } } })}),
        (${failedId}, 2, ${at}, ${at}, 'sent', 200, null, ${t.db.sql.json({ messaging_product: 'whatsapp', messages: [{ id: 'wamid.METAF' }] })})`;
    await t.db.sql`
      insert into message_statuses (message_id, status, at, pricing, errors) values
        (${failedId}, 'sent', ${at}, ${t.db.sql.json({ billable: true, pricing_model: 'PMP', category: 'utility' })}, null),
        (${failedId}, 'failed', ${new Date(at.getTime() + 1000)}, null,
         ${t.db.sql.json([{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'not on WhatsApp' } }])})`;
  });
  afterAll(async () => t.close());

  it('pages newest first without gaps or repeats', async () => {
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const res: Answer = await t.call('GET', `/api/v1/messages?limit=3${before ? `&before=${before}` : ''}`, a.api_key);
      expect(res.status).toBe(200);
      seen.push(...res.json.data.map((m: { wamid: string }) => m.wamid));
      before = res.json.paging.before;
      pages++;
    } while (before);
    expect(pages).toBe(3);
    expect(seen).toEqual(['wamid.F', 'wamid.P7', 'wamid.P6', 'wamid.P5', 'wamid.P4', 'wamid.P3', 'wamid.P2', 'wamid.P1']);
  });

  it('filters by number, recipient and status', async () => {
    const wamids = async (query: string) =>
      (await t.call('GET', `/api/v1/messages?${query}`, a.api_key)).json.data.map((m: { wamid: string }) => m.wamid);
    expect(await wamids(`phone_number_id=${other}`)).toEqual(['wamid.P7']);
    expect(await wamids(`recipient=${encodeURIComponent('+1 555-010-0002')}`)).toEqual(['wamid.F', 'wamid.P6', 'wamid.P4', 'wamid.P2']);
    expect(await wamids('status=delivered')).toEqual(['wamid.P3']);
    expect(await wamids(`status=failed&phone_number_id=${phone}`)).toEqual(['wamid.F']);
  });

  it('shows a message with its attempts and statuses, and never Meta’s id', async () => {
    const res = await t.call('GET', '/api/v1/messages/wamid.F', a.api_key);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      wamid: 'wamid.F',
      status: 'failed',
      attempt_count: 2,
      error: { code: 131026, details: 'Message undeliverable' },
      body: { type: 'text', text: { body: 'hi' } },
      content_redacted_at: null,
      attempts: [
        { attempt: 1, outcome: 'retry', http_status: 503, error: { code: 2, message: '(#2) Service unavailable', details: 'try later' } },
        { attempt: 2, outcome: 'sent', http_status: 200, error: null },
      ],
      statuses: [
        { status: 'sent', pricing: { billable: true, pricing_model: 'PMP', category: 'utility' }, errors: [] },
        { status: 'failed', pricing: null, errors: [{ code: 131026, title: 'Message undeliverable', details: 'not on WhatsApp' }] },
      ],
    });
    expect(JSON.stringify(res.json)).not.toContain('META');
    const list = await t.call('GET', '/api/v1/messages', a.api_key);
    expect(JSON.stringify(list.json)).not.toContain('META');
    expect(Object.keys(list.json.data[0]).sort()).toEqual(
      ['attempt_count', 'created_at', 'error', 'idempotency_key', 'phone_number_id', 'recipient', 'status', 'tenant_id', 'type', 'updated_at', 'wamid'],
    );
    const byMetaId = await t.call('GET', '/api/v1/messages/wamid.METAF', a.api_key);
    expect(byMetaId.json.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('refuses bad paging input with code 100, never a 5xx', async () => {
    for (const query of ['limit=0', 'limit=1000', 'limit=abc', 'before=abc', `before=${Buffer.from('["x"]').toString('base64url')}`, `before=${Buffer.from('["99999999999999999999999"]').toString('base64url')}`]) {
      const res = await t.call('GET', `/api/v1/messages?${query}`, a.api_key);
      expect(res.status, query).toBe(400);
      expect(res.json.error.code, query).toBe(100);
    }
    const long = await t.call('GET', `/api/v1/messages/wamid.${'w'.repeat(90)}`, a.api_key);
    expect(long.status).toBe(400);
    expect(long.json.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('finds wamids holding base64 "/" and "+" when they are percent-encoded', async () => {
    await t.message({ tenantId: a.tenant_id, phoneNumberId: phone, wamid: 'wamid.HBgL/MTY1+MDM4==' });
    const res = await t.call('GET', `/api/v1/messages/${encodeURIComponent('wamid.HBgL/MTY1+MDM4==')}`, a.api_key);
    expect(res.status).toBe(200);
    expect(res.json.wamid).toBe('wamid.HBgL/MTY1+MDM4==');
  });
});

describe('/api/v1/inbound-messages and /api/v1/conversations', () => {
  let t: ApiTest;
  let a: CreatedTenant;
  let phone: string;

  beforeAll(async () => {
    t = await startApiTest();
    a = await t.tenant('A');
    ({ phoneNumberId: phone } = await t.number(a.tenant_id));
    const now = t.clock.now();
    for (const [i, from] of ['15550100001', '15550100002', '15550100001'].entries()) {
      await t.db.sql`
        insert into inbound_messages (meta_wamid, tenant_id, phone_number_id, sender, type, body, sent_at, received_at)
        values (${`wamid.IN${i}`}, ${a.tenant_id}, ${phone}, ${from}, 'text',
                ${t.db.sql.json({ from, id: `wamid.IN${i}`, type: 'text', text: { body: `m${i}` } })}, ${new Date(now - 1000)}, ${new Date(now)})`;
    }
    await t.db.sql`
      insert into conversations (phone_number_id, wa_id, tenant_id, last_inbound_at, fep_expires_at) values
        (${phone}, '15550100001', ${a.tenant_id}, ${new Date(now - 60 * 60 * 1000)}, null),
        (${phone}, '15550100002', ${a.tenant_id}, ${new Date(now - 23 * 60 * 60 * 1000)}, ${new Date(now + 49 * 60 * 60 * 1000)})`;
  });
  afterAll(async () => t.close());

  it('lists received messages newest first, filtered by sender', async () => {
    const res = await t.call('GET', '/api/v1/inbound-messages', a.api_key);
    expect(res.json.data.map((m: { wamid: string }) => m.wamid)).toEqual(['wamid.IN2', 'wamid.IN1', 'wamid.IN0']);
    expect(res.json.data[0]).toEqual({
      wamid: 'wamid.IN2',
      tenant_id: a.tenant_id,
      phone_number_id: phone,
      from: '15550100001',
      type: 'text',
      message: { from: '15550100001', id: 'wamid.IN2', type: 'text', text: { body: 'm2' } },
      content_redacted_at: null,
      sent_at: expect.any(String),
      received_at: expect.any(String),
    });
    const filtered = await t.call('GET', '/api/v1/inbound-messages?from=%2B15550100002&limit=1', a.api_key);
    expect(filtered.json.data.map((m: { wamid: string }) => m.wamid)).toEqual(['wamid.IN1']);
    expect(filtered.json.paging.before).toBeNull();
  });

  it('computes the customer-service window from the clock', async () => {
    const now = t.clock.now();
    const res = await t.call('GET', `/api/v1/conversations?phone_number_id=${phone}`, a.api_key);
    expect(res.json.data).toEqual([
      {
        phone_number_id: phone,
        wa_id: '15550100001',
        tenant_id: a.tenant_id,
        last_inbound_at: new Date(now - 3_600_000).toISOString(),
        window_expires_at: new Date(now + 23 * 3_600_000).toISOString(),
        open: true,
        fep_expires_at: null,
      },
      expect.objectContaining({ wa_id: '15550100002', open: true, window_expires_at: new Date(now + 3_600_000).toISOString() }),
    ]);

    t.clock.advance(2 * 3_600_000);
    const later = await t.call('GET', '/api/v1/conversations', a.api_key);
    expect(later.json.data.map((c: { wa_id: string; open: boolean }) => [c.wa_id, c.open])).toEqual([
      ['15550100001', true],
      ['15550100002', false],
    ]);
    const open = await t.call('GET', '/api/v1/conversations?open=true', a.api_key);
    expect(open.json.data.map((c: { wa_id: string }) => c.wa_id)).toEqual(['15550100001']);
    const closed = await t.call('GET', '/api/v1/conversations?open=false', a.api_key);
    expect(closed.json.data.map((c: { wa_id: string }) => c.wa_id)).toEqual(['15550100002']);

    const first = await t.call('GET', '/api/v1/conversations?limit=1', a.api_key);
    const second = await t.call('GET', `/api/v1/conversations?limit=1&before=${first.json.paging.before}`, a.api_key);
    expect(second.json.data.map((c: { wa_id: string }) => c.wa_id)).toEqual(['15550100002']);
    expect(second.json.paging.before).toBeNull();
  });
});
