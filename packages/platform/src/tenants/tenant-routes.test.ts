import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTest, type Answer, type ApiTest } from '../api/test-support.js';

describe('/api/v1/tenants', () => {
  let t: ApiTest;
  beforeAll(async () => {
    t = await startApiTest();
  });
  afterAll(async () => t.close());

  it('creates a tenant whose key works at once, and shows its secrets only then', async () => {
    const created = await t.call('POST', '/api/v1/tenants', t.operatorKey, { name: '  Acme  ' });
    expect(created.status).toBe(200);
    expect(Object.keys(created.json).sort()).toEqual(['api_key', 'name', 'tenant_id', 'webhook_secret']);
    expect(created.json).toMatchObject({ name: 'Acme', api_key: expect.stringMatching(/^sb_/) });

    expect((await t.call('GET', '/api/v1/keys', created.json.api_key)).status).toBe(200);
    const read = await t.call('GET', `/api/v1/tenants/${created.json.tenant_id}`, t.operatorKey);
    expect(read.json).toEqual({
      tenant_id: created.json.tenant_id,
      name: 'Acme',
      created_at: expect.any(String),
      active_keys: 1,
      wabas: 0,
      phone_numbers: 0,
    });
    expect(JSON.stringify(read.json)).not.toContain(created.json.webhook_secret);
  });

  it('lists tenants newest first, page by page', async () => {
    for (const name of ['P1', 'P2', 'P3']) await t.call('POST', '/api/v1/tenants', t.operatorKey, { name });
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page: Answer = await t.call(
        'GET',
        `/api/v1/tenants?limit=2${before ? `&before=${before}` : ''}`,
        t.operatorKey,
      );
      expect(page.status).toBe(200);
      expect(page.json.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.data.map((x: { tenant_id: string }) => x.tenant_id));
      before = page.json.paging.before;
    } while (before);
    const ids = (await t.db.sql<{ id: string }[]>`select id from tenants order by created_at desc, id desc`).map((r) => r.id);
    expect(seen).toEqual(ids);
  });

  it('refuses bad input with code 100 and changes nothing', async () => {
    const count = async () => (await t.db.sql<{ n: number }[]>`select count(*)::int as n from tenants`)[0]!.n;
    const before = await count();
    for (const body of [undefined, {}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(201) }, { name: null }, 'not json', []]) {
      const res = await t.call('POST', '/api/v1/tenants', t.operatorKey, body ?? undefined);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code, JSON.stringify(body)).toBe(100);
      expect(res.json.error.error_data.details, JSON.stringify(body)).toEqual(expect.any(String));
    }
    expect(await count()).toBe(before);
    for (const url of ['/api/v1/tenants?limit=0', '/api/v1/tenants?limit=201', '/api/v1/tenants?limit=x', '/api/v1/tenants?before=%%%', '/api/v1/tenants?before=WyJ4Il0']) {
      const res = await t.call('GET', url, t.operatorKey);
      expect(res.status, url).toBe(400);
      expect(res.json.error.code, url).toBe(100);
    }
    for (const id of ['nope', '00000000-0000-4000-8000-000000000000', "'; drop table tenants; --"]) {
      const res = await t.call('GET', `/api/v1/tenants/${encodeURIComponent(id)}`, t.operatorKey);
      expect(res.status, id).toBe(400);
      expect(res.json.error).toMatchObject({ code: 100, error_subcode: 33 });
    }
  });

  it('rotates a webhook secret for the tenant itself or the operator', async () => {
    const tenant = await t.tenant('Rotating');
    const sealed = async () => (await t.db.sql<{ s: Buffer }[]>`select webhook_secret_enc as s from tenants where id = ${tenant.tenant_id}`)[0]!.s;
    const original = await sealed();
    const own = await t.call('POST', `/api/v1/tenants/${tenant.tenant_id}/webhook-secret:rotate`, tenant.api_key);
    expect(own.status).toBe(200);
    expect(own.json.webhook_secret).not.toBe(tenant.webhook_secret);
    expect(t.platform.ctx.box.open(await sealed())).toBe(own.json.webhook_secret);
    expect(Buffer.compare(await sealed(), original)).not.toBe(0);
    const byOperator = await t.call('POST', `/api/v1/tenants/${tenant.tenant_id}/webhook-secret:rotate`, t.operatorKey);
    expect(byOperator.status).toBe(200);
    expect(t.platform.ctx.box.open(await sealed())).toBe(byOperator.json.webhook_secret);
  });
});
