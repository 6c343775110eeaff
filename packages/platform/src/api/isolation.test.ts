/**
 * Tenant isolation across every /api/v1 endpoint of this module: tenant B's key never reads or
 * learns of tenant A's data, and A's ids answer B exactly like ids that do not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedTenant } from '../tenants/create-tenant.js';
import { graphId, startApiTest, type Answer, type ApiTest } from './test-support.js';

/** An error body without its per-request trace id, to compare two answers. */
function comparable(res: Answer) {
  const { fbtrace_id: _trace, message, ...error } = res.json.error;
  return { status: res.status, error, message: typeof message === 'string' ? message.replace(/'[^']*'/g, "'<id>'") : message };
}

describe('tenant isolation on /api/v1', () => {
  let t: ApiTest;
  let a: CreatedTenant;
  let b: CreatedTenant;
  let aNumber: { wabaId: string; phoneNumberId: string };
  let aKeyId: string;

  beforeAll(async () => {
    t = await startApiTest();
    a = await t.tenant('A');
    b = await t.tenant('B');
    aNumber = await t.number(a.tenant_id);
    await t.number(b.tenant_id);
    await t.message({ tenantId: a.tenant_id, phoneNumberId: aNumber.phoneNumberId, wamid: 'wamid.A1', recipient: '15550100009' });
    await t.db.sql`
      insert into inbound_messages (meta_wamid, tenant_id, phone_number_id, sender, type, body, sent_at)
      values ('wamid.in.A1', ${a.tenant_id}, ${aNumber.phoneNumberId}, '15550100009', 'text', '{"type":"text"}', ${new Date(t.clock.now())})`;
    await t.db.sql`
      insert into conversations (phone_number_id, wa_id, tenant_id, last_inbound_at)
      values (${aNumber.phoneNumberId}, '15550100009', ${a.tenant_id}, ${new Date(t.clock.now())})`;
    const [key] = await t.db.sql<{ id: string }[]>`select id from api_keys where tenant_id = ${a.tenant_id}`;
    aKeyId = key!.id;
  });
  afterAll(async () => t.close());

  it('lists show a tenant only its own rows, even when it names another tenant', async () => {
    for (const path of ['/api/v1/messages', '/api/v1/inbound-messages', '/api/v1/conversations', '/api/v1/wabas', '/api/v1/phone-numbers', '/api/v1/keys']) {
      const own = await t.call('GET', path, a.api_key);
      expect(own.status, path).toBe(200);
      expect(own.json.data.length, path).toBe(1);
      expect(JSON.stringify(own.json), path).not.toContain(b.tenant_id);

      const other = await t.call('GET', path, b.api_key);
      expect(other.status, path).toBe(200);
      expect(JSON.stringify(other.json), path).not.toContain(a.tenant_id);
      expect(JSON.stringify(other.json), path).not.toContain(aNumber.phoneNumberId);

      // Naming tenant A with B's key is answered like naming a tenant that does not exist.
      const named = await t.call('GET', `${path}?tenant_id=${a.tenant_id}`, b.api_key);
      const missing = await t.call('GET', `${path}?tenant_id=00000000-0000-4000-8000-000000000000`, b.api_key);
      expect(named.status, path).toBe(400);
      expect(comparable(named), path).toEqual(comparable(missing));
      expect(named.json.error).toMatchObject({ code: 100, error_subcode: 33 });
    }
  });

  it("filters by another tenant's number find nothing", async () => {
    for (const path of ['/api/v1/messages', '/api/v1/inbound-messages', '/api/v1/conversations', '/api/v1/phone-numbers']) {
      const query = path === '/api/v1/phone-numbers' ? `waba_id=${aNumber.wabaId}` : `phone_number_id=${aNumber.phoneNumberId}`;
      const res = await t.call('GET', `${path}?${query}`, b.api_key);
      expect(res.status, path).toBe(200);
      expect(res.json.data, path).toEqual([]);
    }
  });

  it("another tenant's ids answer exactly like unknown ids", async () => {
    const pairs: Array<[string, string, 'GET' | 'POST' | 'DELETE']> = [
      [`/api/v1/messages/wamid.A1`, `/api/v1/messages/wamid.nope`, 'GET'],
      [`/api/v1/wabas/${aNumber.wabaId}`, `/api/v1/wabas/${graphId()}`, 'GET'],
      [`/api/v1/phone-numbers/${aNumber.phoneNumberId}`, `/api/v1/phone-numbers/${graphId()}`, 'GET'],
      [`/api/v1/keys/${aKeyId}`, `/api/v1/keys/00000000-0000-4000-8000-000000000000`, 'DELETE'],
      [`/api/v1/tenants/${a.tenant_id}/webhook-secret:rotate`, `/api/v1/tenants/00000000-0000-4000-8000-000000000000/webhook-secret:rotate`, 'POST'],
      [`/api/v1/wabas/${aNumber.wabaId}:sync`, `/api/v1/wabas/${graphId()}:sync`, 'POST'],
    ];
    for (const [theirs, unknown, method] of pairs) {
      const r1 = await t.call(method, theirs, b.api_key);
      const r2 = await t.call(method, unknown, b.api_key);
      expect(r1.status, theirs).toBe(400);
      expect(r1.json.error, theirs).toMatchObject({ code: 100, error_subcode: 33 });
      expect(comparable(r1), theirs).toEqual(comparable(r2));
    }
    // Nothing changed for A: its key still works, its secret was not rotated.
    expect((await t.call('GET', '/api/v1/keys', a.api_key)).json.data[0].active).toBe(true);
  });

  it('A reads its own objects; the operator reads anyone’s', async () => {
    for (const token of [a.api_key, t.operatorKey]) {
      expect((await t.call('GET', '/api/v1/messages/wamid.A1', token)).status).toBe(200);
      expect((await t.call('GET', `/api/v1/wabas/${aNumber.wabaId}`, token)).status).toBe(200);
      expect((await t.call('GET', `/api/v1/phone-numbers/${aNumber.phoneNumberId}`, token)).status).toBe(200);
    }
    const all = await t.call('GET', '/api/v1/phone-numbers', t.operatorKey);
    expect(all.json.data).toHaveLength(2);
    const onlyA = await t.call('GET', `/api/v1/phone-numbers?tenant_id=${a.tenant_id}`, t.operatorKey);
    expect(onlyA.json.data.map((p: { id: string }) => p.id)).toEqual([aNumber.phoneNumberId]);
  });

  it('refuses tenant keys on operator routes, and callers without a valid key everywhere', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/v1/tenants', undefined],
      ['POST', '/api/v1/tenants', { name: 'x' }],
      ['GET', `/api/v1/tenants/${a.tenant_id}`, undefined],
      ['POST', '/api/v1/wabas', { tenant_id: a.tenant_id, waba_id: '1', access_token: 'x' }],
    ] as const) {
      const res = await t.call(method, path, a.api_key, body);
      expect(res.status, path).toBe(403);
      expect(res.json.error, path).toMatchObject({ code: 10, type: 'OAuthException' });
      expect(typeof res.json.error.fbtrace_id).toBe('string');
    }
    for (const path of ['/api/v1/messages', '/api/v1/tenants', '/api/v1/keys', '/api/v1/wabas']) {
      for (const token of [undefined, 'sb_not-a-key']) {
        const res = await t.call('GET', path, token);
        expect(res.status, path).toBe(401);
        expect(res.json.error.code, path).toBe(190);
      }
    }
    // Authentication comes before validation: a stranger learns nothing about the input rules.
    const res = await t.call('POST', '/api/v1/tenants', 'sb_nope', { name: '' });
    expect(res.json.error.code).toBe(190);
  });
});
