import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneWebhookConfiguration, setPhoneWebhookOverride } from './phone-override.js';
import { startHarness, type Harness, type Json, type Receiver, type TenantFixture } from './test-harness.js';

let h: Harness;
let a: TenantFixture;
let b: TenantFixture;
let receiver: Receiver;

beforeAll(async () => {
  h = await startHarness();
  a = await h.tenant('Acme', 2);
  b = await h.tenant('Globex');
  receiver = await h.receiver();
});
afterAll(async () => h.close());

function expectUnknownObject(res: { status: number; json: Json }) {
  expect(res.status).toBe(400);
  expect(res.json.error).toMatchObject({ code: 100, error_subcode: 33 });
}

describe('POST /{waba-id}/subscribed_apps', () => {
  it('verifies the override with the GET handshake, then stores it', async () => {
    const before = receiver.handshakes;
    const res = await h.call('POST', `/v23.0/${a.wabaId}/subscribed_apps`, a.api_key, {
      override_callback_uri: receiver.url,
      verify_token: receiver.verifyToken,
    });
    expect(res).toEqual({ status: 200, json: { success: true } });
    expect(receiver.handshakes).toBe(before + 1);
    const list = await h.call('GET', `/${a.wabaId}/subscribed_apps`, a.api_key);
    expect(list.status).toBe(200);
    expect(list.json.data).toEqual([
      { whatsapp_business_api_data: { id: a.tenant_id, name: 'Acme', link: '/api/v1/webhooks' }, override_callback_uri: receiver.url },
    ]);
    const [row] = await h.db.sql<{ verify_token_enc: Buffer }[]>`select verify_token_enc from waba_webhook_subscriptions where waba_id = ${a.wabaId}`;
    expect(row!.verify_token_enc.toString('utf8')).not.toContain(receiver.verifyToken);
    expect(h.ctx.box.open(row!.verify_token_enc)).toBe(receiver.verifyToken);
  });

  it('refuses a URL that answers with the wrong token, a wrong challenge or not at all, and changes nothing', async () => {
    const wrongToken = await h.call('POST', `/${a.wabaId}/subscribed_apps`, a.api_key, {
      override_callback_uri: `${receiver.url}?other=1`,
      verify_token: 'not-the-token',
    });
    expect(wrongToken.status).toBe(400);
    expect(wrongToken.json.error.code).toBe(100);
    expect(wrongToken.json.error.message).toContain('Callback verification failed');

    receiver.mode = 'wrong-challenge';
    const wrongChallenge = await h.call('POST', `/${a.wabaId}/subscribed_apps`, a.api_key, {
      override_callback_uri: `${receiver.url}?other=2`,
      verify_token: receiver.verifyToken,
    });
    receiver.mode = 'ok';
    expect(wrongChallenge.status).toBe(400);

    const unreachable = await h.call('POST', `/${a.wabaId}/subscribed_apps`, a.api_key, {
      override_callback_uri: 'http://127.0.0.1:9/hook',
      verify_token: 'x',
    });
    expect(unreachable.status).toBe(400);
    expect(unreachable.json.error.message).toContain("couldn't connect");

    const list = await h.call('GET', `/${a.wabaId}/subscribed_apps`, a.api_key);
    expect(list.json.data[0].override_callback_uri).toBe(receiver.url);
  });

  it("answers another tenant's or an unknown WABA exactly like Meta's unknown object (100/33)", async () => {
    for (const [method, body] of [
      ['POST', { override_callback_uri: receiver.url, verify_token: receiver.verifyToken }],
      ['POST', undefined],
      ['GET', undefined],
      ['DELETE', undefined],
    ] as const) {
      expectUnknownObject(await h.call(method, `/${a.wabaId}/subscribed_apps`, b.api_key, body));
      expectUnknownObject(await h.call(method, `/999999999999999/subscribed_apps`, b.api_key, body));
    }
    expect((await h.call('GET', `/${a.wabaId}/subscribed_apps`, 'sb_not-a-key')).json.error.code).toBe(190);
    // Nothing changed for the owner.
    expect((await h.call('GET', `/${a.wabaId}/subscribed_apps`, a.api_key)).json.data[0].override_callback_uri).toBe(receiver.url);
  });

  it("answers bad input in Meta's error shape, never 5xx", async () => {
    const cases: unknown[] = [
      { override_callback_uri: `https://example.com/${'x'.repeat(200)}`, verify_token: 't' },
      { override_callback_uri: 'not a url', verify_token: 't' },
      { override_callback_uri: 'ftp://example.com/hook', verify_token: 't' },
      { override_callback_uri: receiver.url },
      { override_callback_uri: 42, verify_token: 't' },
      { verify_token: 'alone' },
      '{"override_callback_uri":',
    ];
    for (const body of cases) {
      const res = await h.call('POST', `/${a.wabaId}/subscribed_apps`, a.api_key, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe(100);
    }
  });

  it('without a body subscribes with the tenant default (clearing the override); DELETE unsubscribes', async () => {
    expect((await h.call('POST', `/${a.wabaId}/subscribed_apps`, a.api_key)).json).toEqual({ success: true });
    expect((await h.call('GET', `/${a.wabaId}/subscribed_apps`, a.api_key)).json.data).toEqual([
      { whatsapp_business_api_data: { id: a.tenant_id, name: 'Acme', link: '/api/v1/webhooks' } },
    ]);
    expect((await h.call('DELETE', `/${a.wabaId}/subscribed_apps`, a.api_key)).json).toEqual({ success: true });
    expect((await h.call('GET', `/${a.wabaId}/subscribed_apps`, a.api_key)).json).toEqual({ data: [] });
    const api = await h.call('GET', `/api/v1/wabas/${a.wabaId}/webhook`, a.api_key);
    expect(api.json).toMatchObject({ waba_id: a.wabaId, subscribed: false, override_callback_uri: null, callback_uri: null });
    await h.call('POST', `/${a.wabaId}/subscribed_apps`, a.api_key);
  });
});

describe('phone-number override (POST /{phone-number-id} webhook_configuration)', () => {
  it('sets, reports and clears the override after the handshake', async () => {
    const phone = a.phoneNumberIds[0]!;
    const config = { override_callback_uri: `${receiver.url}?phone=1`, verify_token: receiver.verifyToken };
    expect(await setPhoneWebhookOverride(h.ctx, a.tenant_id, phone, config)).toEqual({ success: true });
    expect(await phoneWebhookConfiguration(h.ctx, a.tenant_id, phone)).toEqual({ phone_number: `${receiver.url}?phone=1` });
    // A form body carries the object as a JSON string.
    expect(await setPhoneWebhookOverride(h.ctx, a.tenant_id, phone, JSON.stringify({ override_callback_uri: '' }))).toEqual({ success: true });
    expect(await phoneWebhookConfiguration(h.ctx, a.tenant_id, phone)).toEqual({});
  });

  it("refuses another tenant's number, a failed handshake and malformed configurations", async () => {
    const phone = a.phoneNumberIds[0]!;
    const good = { override_callback_uri: receiver.url, verify_token: receiver.verifyToken };
    await expect(setPhoneWebhookOverride(h.ctx, b.tenant_id, phone, good)).rejects.toMatchObject({ code: 100, subcode: 33 });
    await expect(setPhoneWebhookOverride(h.ctx, a.tenant_id, phone, { ...good, verify_token: 'wrong' })).rejects.toMatchObject({ code: 100 });
    for (const bad of [null, 'not json', [], { verify_token: 't' }, { override_callback_uri: 'x'.repeat(201), verify_token: 't' }, { override_callback_uri: receiver.url }]) {
      await expect(setPhoneWebhookOverride(h.ctx, a.tenant_id, phone, bad)).rejects.toMatchObject({ code: 100, status: 400 });
    }
  });
});

describe('/api/v1 webhook configuration', () => {
  it('sets the tenant default after the handshake and shows the precedence per WABA and number', async () => {
    const put = await h.call('PUT', '/api/v1/webhooks', a.api_key, { url: receiver.url, verify_token: receiver.verifyToken });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ url: receiver.url, updated_at: new Date(h.clock.now()).toISOString() });
    expect((await h.call('GET', '/api/v1/webhooks', a.api_key)).json.url).toBe(receiver.url);

    const waba = await h.call('PUT', `/api/v1/wabas/${a.wabaId}/webhook`, a.api_key, {
      override_callback_uri: `${receiver.url}?waba=1`,
      verify_token: receiver.verifyToken,
    });
    expect(waba.json).toMatchObject({ subscribed: true, override_callback_uri: `${receiver.url}?waba=1`, callback_uri: `${receiver.url}?waba=1` });

    const phone = a.phoneNumberIds[1]!;
    const number = await h.call('PUT', `/api/v1/phone-numbers/${phone}/webhook`, a.api_key, {
      override_callback_uri: `${receiver.url}?phone=2`,
      verify_token: receiver.verifyToken,
    });
    expect(number.json).toMatchObject({ phone_number_id: phone, waba_id: a.wabaId, callback_uri: `${receiver.url}?phone=2` });
    const other = await h.call('GET', `/api/v1/phone-numbers/${a.phoneNumberIds[0]}/webhook`, a.api_key);
    expect(other.json).toMatchObject({ override_callback_uri: null, callback_uri: `${receiver.url}?waba=1` });

    // "" clears; the WABA override then falls back to the default.
    await h.call('PUT', `/api/v1/phone-numbers/${phone}/webhook`, a.api_key, { override_callback_uri: '' });
    const cleared = await h.call('PUT', `/api/v1/wabas/${a.wabaId}/webhook`, a.api_key, { override_callback_uri: '' });
    expect(cleared.json).toMatchObject({ override_callback_uri: null, callback_uri: receiver.url });
  });

  it('lets the operator act for a tenant with tenant_id, and keeps tenants apart', async () => {
    const op = await h.call('GET', `/api/v1/webhooks?tenant_id=${a.tenant_id}`, h.operatorKey);
    expect(op.json.url).toBe(receiver.url);
    expect((await h.call('GET', '/api/v1/webhooks', h.operatorKey)).json.error.code).toBe(100);
    expectUnknownObject(await h.call('GET', `/api/v1/webhooks?tenant_id=${a.tenant_id}`, b.api_key));
    expectUnknownObject(await h.call('GET', `/api/v1/wabas/${a.wabaId}/webhook`, b.api_key));
    expectUnknownObject(await h.call('PUT', `/api/v1/phone-numbers/${a.phoneNumberIds[0]}/webhook`, b.api_key, { override_callback_uri: '' }));
    expect((await h.call('GET', '/api/v1/webhooks', b.api_key)).json).toEqual({ url: null, updated_at: null });
  });

  it("answers bad input with code 100, never 5xx", async () => {
    for (const [method, url, body] of [
      ['PUT', '/api/v1/webhooks', undefined],
      ['PUT', '/api/v1/webhooks', { url: 5 }],
      ['PUT', '/api/v1/webhooks', { url: 'nope', verify_token: 't' }],
      ['PUT', '/api/v1/webhooks', { url: receiver.url }],
      ['PUT', '/api/v1/webhooks', '[1,2'],
      ['PUT', `/api/v1/wabas/${a.wabaId}/webhook`, { subscribed: 'maybe' }],
      ['PUT', `/api/v1/wabas/${a.wabaId}/webhook`, { override_callback_uri: `http://x.io/${'a'.repeat(200)}`, verify_token: 't' }],
      ['PUT', `/api/v1/phone-numbers/${a.phoneNumberIds[0]}/webhook`, {}],
      ['GET', `/api/v1/webhooks?tenant_id=${'x'.repeat(100)}`, undefined],
    ] as const) {
      const res = await h.call(method, url, a.api_key, body);
      expect(res.status, `${method} ${url} ${JSON.stringify(body)}`).toBe(400);
      expect(res.json.error.code).toBe(100);
    }
  });
});
