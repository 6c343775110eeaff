import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTest, type ApiTest } from '../api/test-support.js';
import type { CreatedTenant } from './create-tenant.js';

describe('/api/v1/keys', () => {
  let t: ApiTest;
  let a: CreatedTenant;
  let b: CreatedTenant;
  beforeAll(async () => {
    t = await startApiTest();
    a = await t.tenant('A');
    b = await t.tenant('B');
  });
  afterAll(async () => t.close());

  it('creates a key shown once, listed afterwards by its hint only', async () => {
    const created = await t.call('POST', '/api/v1/keys', a.api_key, { name: 'ci' });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ name: 'ci', tenant_id: a.tenant_id, active: true, revoked_at: null, api_key: expect.stringMatching(/^sb_/) });
    expect(created.json.api_key.startsWith(created.json.hint)).toBe(true);
    const list = await t.call('GET', '/api/v1/keys', a.api_key);
    expect(list.json.data.map((k: { name: string }) => k.name).sort()).toEqual(['ci', 'default']);
    const body = JSON.stringify(list.json);
    expect(body).not.toContain(created.json.api_key);
    expect(body).not.toContain(a.api_key);
    for (const key of list.json.data) {
      expect(Object.keys(key).sort()).toEqual(['active', 'created_at', 'hint', 'id', 'last_used_at', 'name', 'revoked_at', 'tenant_id']);
    }
    expect((await t.call('GET', '/api/v1/messages', created.json.api_key)).status).toBe(200);
  });

  it('records when a key was last used', async () => {
    const created = await t.call('POST', '/api/v1/keys', a.api_key, { name: 'usage' });
    expect(created.json.last_used_at).toBeNull();
    expect((await t.call('GET', '/api/v1/messages', created.json.api_key)).status).toBe(200);
    const listed = (await t.call('GET', '/api/v1/keys', a.api_key)).json.data.find((k: { id: string }) => k.id === created.json.id);
    expect(listed.last_used_at).toBe(new Date(t.clock.now()).toISOString());
  });

  it('revocation takes effect at once', async () => {
    const created = await t.call('POST', '/api/v1/keys', a.api_key, { name: 'short-lived' });
    const key = created.json.api_key as string;
    expect((await t.call('GET', '/api/v1/keys', key)).status).toBe(200); // now cached as valid
    const revoked = await t.call('DELETE', `/api/v1/keys/${created.json.id}`, a.api_key);
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ id: created.json.id, active: false, revoked_at: expect.any(String) });
    const refused = await t.call('GET', '/api/v1/keys', key);
    expect(refused.status).toBe(401);
    expect(refused.json.error.code).toBe(190);
    // Revoking again changes nothing.
    const again = await t.call('DELETE', `/api/v1/keys/${created.json.id}`, a.api_key);
    expect(again.json.revoked_at).toBe(revoked.json.revoked_at);
  });

  it('the operator manages any tenant’s keys; a tenant cannot touch another’s', async () => {
    const forB = await t.call('POST', '/api/v1/keys', t.operatorKey, { name: 'ops', tenant_id: b.tenant_id });
    expect(forB.status).toBe(200);
    expect(forB.json.tenant_id).toBe(b.tenant_id);
    const noTenant = await t.call('POST', '/api/v1/keys', t.operatorKey, { name: 'ops' });
    expect(noTenant.status).toBe(400);
    expect(noTenant.json.error.error_data.details).toContain('tenant_id');

    const byA = await t.call('DELETE', `/api/v1/keys/${forB.json.id}`, a.api_key);
    expect(byA.status).toBe(400);
    expect(byA.json.error).toMatchObject({ code: 100, error_subcode: 33 });
    const createForB = await t.call('POST', '/api/v1/keys', a.api_key, { name: 'sneaky', tenant_id: b.tenant_id });
    expect(createForB.json.error).toMatchObject({ code: 100, error_subcode: 33 });
    expect((await t.call('GET', '/api/v1/keys', forB.json.api_key)).status).toBe(200);

    const byOperator = await t.call('DELETE', `/api/v1/keys/${forB.json.id}`, t.operatorKey);
    expect(byOperator.json.active).toBe(false);
    expect((await t.call('GET', '/api/v1/keys', forB.json.api_key)).status).toBe(401);
    const all = await t.call('GET', '/api/v1/keys', t.operatorKey);
    expect(new Set(all.json.data.map((k: { tenant_id: string }) => k.tenant_id))).toEqual(new Set([a.tenant_id, b.tenant_id]));
  });

  it('refuses bad input with code 100', async () => {
    for (const body of [{}, { name: '' }, { name: ' ' }, { name: 'x'.repeat(101) }, { name: 'ok', tenant_id: 'nope' }]) {
      const res = await t.call('POST', '/api/v1/keys', t.operatorKey, { tenant_id: a.tenant_id, ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code, JSON.stringify(body)).toBe(100);
    }
    const res = await t.call('DELETE', '/api/v1/keys/not-a-uuid', a.api_key);
    expect(res.json.error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});
