/**
 * Attaching WABAs against the emulator as a real server: the token is verified with Meta, the app
 * subscribed, the numbers read and stored; someone else's WABA, a bad token or bad input change
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../test/stack.js';
import type { CreatedTenant } from '../tenants/create-tenant.js';
import { createTenant } from '../tenants/create-tenant.js';

interface Fixture {
  access_token: string;
  waba_id: string;
  phone_number_id: string;
  display_phone_number: string;
}

describe('/api/v1/wabas and /api/v1/phone-numbers', () => {
  let s: Stack;
  let a: CreatedTenant;
  let b: CreatedTenant;

  /** A fresh sandbox on the emulator (WABA + CONNECTED number), not attached to anyone yet. */
  async function fixture(options: Record<string, unknown> = {}): Promise<Fixture> {
    const response = await fetch(`${s.emulatorUrl}/_emulator/fixtures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: s.app.id, app_secret: s.app.secret, ...options }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Fixture;
  }

  async function snapshot() {
    const { sql } = s.db;
    return {
      wabas: await sql`select id, tenant_id, name, access_token_enc, synced_at from wabas order by id`,
      numbers: await sql`select * from phone_numbers order by id`,
    };
  }

  beforeAll(async () => {
    s = await startStack({ workers: false });
    a = await createTenant(s.db.sql, s.platform.ctx.box, 'A');
    b = await createTenant(s.db.sql, s.platform.ctx.box, 'B');
  });
  afterAll(async () => s?.close());

  it('attaches a WABA: verifies the token, stores it sealed, reads the numbers', async () => {
    const f = await fixture({ throughput_level: 'HIGH', messaging_limit_tier: 'TIER_10K', waba_name: 'Acme WABA' });
    const res = await s.call('POST', '/api/v1/wabas', s.operatorKey, { tenant_id: a.tenant_id, waba_id: f.waba_id, access_token: f.access_token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      waba_id: f.waba_id,
      tenant_id: a.tenant_id,
      name: 'Acme WABA',
      phone_numbers: [{ id: f.phone_number_id, display_phone_number: f.display_phone_number, status: 'CONNECTED', quality_rating: 'GREEN' }],
      created_at: expect.any(String),
      synced_at: expect.any(String),
    });
    const [waba] = await s.db.sql<{ access_token_enc: Buffer }[]>`select access_token_enc from wabas where id = ${f.waba_id}`;
    expect(waba!.access_token_enc.includes(Buffer.from(f.access_token))).toBe(false);
    expect(s.platform.ctx.box.open(waba!.access_token_enc)).toBe(f.access_token);

    const number = await s.call('GET', `/api/v1/phone-numbers/${f.phone_number_id}`, a.api_key);
    expect(number.json).toMatchObject({
      id: f.phone_number_id,
      waba_id: f.waba_id,
      status: 'CONNECTED',
      quality_rating: 'GREEN',
      mps: 1000,
      throughput_level: 'HIGH',
      messaging_limit_tier: 'TIER_10K',
      verified_name: expect.any(String),
    });
    const list = await s.call('GET', '/api/v1/wabas', a.api_key);
    expect(list.json.data.map((w: { waba_id: string }) => w.waba_id)).toEqual([f.waba_id]);
    expect(JSON.stringify(list.json)).not.toContain(f.access_token);
  });

  it("subscribes the platform's app to the WABA's webhooks", async () => {
    const f = await fixture();
    const graph = (method: string, path: string) =>
      fetch(`${s.emulatorUrl}/v23.0/${path}`, { method, headers: { authorization: `Bearer ${f.access_token}` } });
    expect((await graph('DELETE', `${f.waba_id}/subscribed_apps`)).status).toBe(200);
    expect(((await (await graph('GET', `${f.waba_id}/subscribed_apps`)).json()) as { data: unknown[] }).data).toEqual([]);
    const res = await s.call('POST', '/api/v1/wabas', s.operatorKey, { tenant_id: b.tenant_id, waba_id: f.waba_id, access_token: f.access_token });
    expect(res.status).toBe(200);
    const subscribed = (await (await graph('GET', `${f.waba_id}/subscribed_apps`)).json()) as { data: Array<{ whatsapp_business_api_data: { id: string } }> };
    expect(subscribed.data.map((d) => d.whatsapp_business_api_data.id)).toEqual([s.app.id]);
  });

  it("is what the test stack's tenantWithNumber() uses", async () => {
    const tenant = await s.tenantWithNumber('Stacked');
    const numbers = await s.call('GET', '/api/v1/phone-numbers', tenant.api_key);
    expect(numbers.json.data.map((n: { id: string }) => n.id)).toEqual([tenant.sandbox.phone_number_id]);
  });

  it('stores the default throughput for standard numbers, and attaching again refreshes', async () => {
    const f = await fixture();
    const first = await s.call('POST', '/api/v1/wabas', s.operatorKey, { tenant_id: b.tenant_id, waba_id: f.waba_id, access_token: f.access_token });
    expect(first.status).toBe(200);
    expect((await s.call('GET', `/api/v1/phone-numbers/${f.phone_number_id}`, b.api_key)).json.mps).toBe(80);
    const again = await s.call('POST', '/api/v1/wabas', s.operatorKey, { tenant_id: b.tenant_id, waba_id: f.waba_id, access_token: f.access_token });
    expect(again.status).toBe(200);
    expect(again.json.created_at).toBe(first.json.created_at);
  });

  it("refuses a WABA attached to another tenant, and changes nothing", async () => {
    const f = await fixture();
    expect((await s.call('POST', '/api/v1/wabas', s.operatorKey, { tenant_id: a.tenant_id, waba_id: f.waba_id, access_token: f.access_token })).status).toBe(200);
    const before = await snapshot();
    const other = await fixture(); // a valid token of another sandbox: the WABA check comes first anyway
    const res = await s.call('POST', '/api/v1/wabas', s.operatorKey, { tenant_id: b.tenant_id, waba_id: f.waba_id, access_token: other.access_token });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(100);
    expect(res.json.error.error_data.details).toMatch(/already attached to another tenant/);
    expect(await snapshot()).toEqual(before);
    expect((await s.call('GET', `/api/v1/wabas/${f.waba_id}`, b.api_key)).json.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('refuses a token Meta rejects, and bad input, with code 100 and no write', async () => {
    const f = await fixture();
    const before = await snapshot();
    const badToken = await s.call('POST', '/api/v1/wabas', s.operatorKey, { tenant_id: a.tenant_id, waba_id: f.waba_id, access_token: 'EAAGnotatoken' });
    expect(badToken.status).toBe(400);
    expect(badToken.json.error.code).toBe(100);
    expect(badToken.json.error.error_data.details).toMatch(/^Meta refused WABA/);
    // A real token that does not reach this WABA.
    const stranger = await fixture();
    const wrongWaba = await s.call('POST', '/api/v1/wabas', s.operatorKey, { tenant_id: a.tenant_id, waba_id: f.waba_id, access_token: stranger.access_token });
    expect(wrongWaba.status).toBe(400);
    expect(wrongWaba.json.error.code).toBe(100);

    for (const body of [
      undefined,
      {},
      { tenant_id: a.tenant_id, waba_id: f.waba_id },
      { tenant_id: a.tenant_id, waba_id: 'abc', access_token: f.access_token },
      { tenant_id: a.tenant_id, waba_id: f.waba_id, access_token: 'has spaces in it' },
      { tenant_id: a.tenant_id, waba_id: f.waba_id, access_token: '' },
      { tenant_id: 'not-a-uuid', waba_id: f.waba_id, access_token: f.access_token },
      { tenant_id: '00000000-0000-4000-8000-000000000000', waba_id: f.waba_id, access_token: f.access_token },
      { tenant_id: a.tenant_id, waba_id: f.waba_id, access_token: 'x'.repeat(3000) },
    ]) {
      const res = await s.call('POST', '/api/v1/wabas', s.operatorKey, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code, JSON.stringify(body)).toBe(100);
      expect(res.json.error.error_data?.details ?? res.json.error.message, JSON.stringify(body)).toEqual(expect.any(String));
    }
    expect(await snapshot()).toEqual(before);
  });

  it('syncs a WABA from Meta: changed status and quality, new numbers', async () => {
    const f = await fixture();
    expect((await s.call('POST', '/api/v1/wabas', s.operatorKey, { tenant_id: a.tenant_id, waba_id: f.waba_id, access_token: f.access_token })).status).toBe(200);
    // Meta's side moves on: a second number is added to the WABA (PENDING until registered).
    const added = await fetch(`${s.emulatorUrl}/v23.0/${f.waba_id}/phone_numbers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${f.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cc: '1', phone_number: `555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`, verified_name: 'Acme Two' }),
    });
    expect(added.status).toBe(200);
    const { id: addedId } = (await added.json()) as { id: string };
    const control = (path: string, body: unknown) =>
      fetch(`${s.emulatorUrl}/_emulator/phone_numbers/${f.phone_number_id}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await control('quality', { quality_rating: 'YELLOW' })).status).toBe(200);
    expect((await control('throughput', { level: 'HIGH' })).status).toBe(200);
    expect((await control('status', { status: 'FLAGGED' })).status).toBe(200);

    const synced = await s.call('POST', `/api/v1/wabas/${f.waba_id}:sync`, a.api_key);
    expect(synced.status).toBe(200);
    expect(synced.json.phone_numbers.map((n: { id: string }) => n.id).sort()).toEqual([f.phone_number_id, addedId].sort());
    const changed = await s.call('GET', `/api/v1/phone-numbers/${f.phone_number_id}`, a.api_key);
    expect(changed.json).toMatchObject({ quality_rating: 'YELLOW', status: 'FLAGGED', throughput_level: 'HIGH', mps: 1000 });
    const pending = await s.call('GET', `/api/v1/phone-numbers/${addedId}`, a.api_key);
    expect(pending.json).toMatchObject({ waba_id: f.waba_id, status: 'PENDING', mps: 80 });

    const byOperator = await s.call('POST', `/api/v1/wabas/${f.waba_id}:sync`, s.operatorKey);
    expect(byOperator.status).toBe(200);
    const byOther = await s.call('POST', `/api/v1/wabas/${f.waba_id}:sync`, b.api_key);
    expect(byOther.json.error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});
