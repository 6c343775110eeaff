import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, startReceiver, type Receiver, type TestEmulator } from '../assets/test-support.js';

describe('POST /_emulator/fixtures', () => {
  let t: TestEmulator;
  let receiver: Receiver | undefined;
  beforeEach(async () => {
    t = await startEmulator();
  });
  afterEach(async () => {
    await t.close();
    await receiver?.close();
    receiver = undefined;
  });

  it('makes a ready sandbox in one call', async () => {
    const f = await t.fixture();
    expect(f.app_id).toMatch(/^\d{15,17}$/);
    expect(f.app_secret).toMatch(/^[0-9a-f]{32}$/);
    expect(f.display_phone_number).toMatch(/^\+1 555-\d{3}-\d{4}$/);
    expect(f.templates.map((x) => x.name).sort()).toEqual(['hello_world', 'order_confirmation']);

    const phone = await t.call('GET', `/v23.0/${f.phone_number_id}?fields=status,platform_type,code_verification_status,name_status,is_pin_enabled`, { token: f.access_token });
    expect(phone.body).toEqual({ status: 'CONNECTED', platform_type: 'CLOUD_API', code_verification_status: 'VERIFIED', name_status: 'APPROVED', is_pin_enabled: true, id: f.phone_number_id });

    const apps = await t.call('GET', `/v23.0/${f.waba_id}/subscribed_apps`, { token: f.access_token });
    expect(apps.body.data[0].whatsapp_business_api_data.id).toBe(f.app_id);

    const order = [...t.emu.ctx.state.templates.values()].find((x) => x.name === 'order_confirmation');
    expect(order).toMatchObject({ wabaId: f.waba_id, language: 'en_US', category: 'UTILITY', status: 'APPROVED' });
    expect(order?.components[0]).toMatchObject({ type: 'BODY', text: 'Hello {{1}}, your order {{2}} is confirmed.' });

    const debug = await t.call('GET', `/debug_token?input_token=${f.access_token}`, { token: `${f.app_id}|${f.app_secret}` });
    expect(debug.body.data.granular_scopes).toContainEqual({ scope: 'whatsapp_business_messaging', target_ids: [f.waba_id] });
  });

  it('honours chosen values and reuses an existing app', async () => {
    const f = await t.fixture({ app_id: '1234567890123', app_secret: 'abcdef0123456789', access_token: 'EAAtesttoken123', phone_number: '+1 555 010 0001', pin: '246810', messaging_limit_tier: 'TIER_UNLIMITED', throughput_level: 'HIGH' });
    expect(f).toMatchObject({ app_id: '1234567890123', app_secret: 'abcdef0123456789', access_token: 'EAAtesttoken123', wa_id: '15550100001', display_phone_number: '+1 555-010-0001', pin: '246810' });
    const phone = t.emu.ctx.state.phoneNumbers.get(f.phone_number_id);
    expect(phone?.mps).toBe(1_000);
    const second = await t.fixture({ app_id: '1234567890123' });
    expect(second.app_id).toBe(f.app_id);
    expect(second.business_id).not.toBe(f.business_id);
    const other = await t.call('GET', `/${f.waba_id}`, { token: second.access_token });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe(200);
  });

  it('rebuilds a sandbox with chosen ids, as after a restart', async () => {
    const ids = { business_id: '5000000000000001', waba_id: '5000000000000002', phone_number_id: '5000000000000003', display_phone_number: '+1 555-010-0042' };
    const f = await t.fixture(ids);
    expect(f).toMatchObject({ ...ids, wa_id: '15550100042' });
    const again = await t.call('POST', '/_emulator/fixtures', { json: ids });
    expect(again.status).toBe(400);
    expect(again.body.error.error_data.details).toContain('already used');
    // An existing business gets another WABA and number.
    const more = await t.fixture({ business_id: ids.business_id });
    expect(more.business_id).toBe(ids.business_id);
    expect(more.waba_id).not.toBe(ids.waba_id);
    expect((await t.call('POST', '/_emulator/fixtures', { json: { waba_id: 'abc' } })).status).toBe(400);
  });

  it('subscribes the app at once after a successful handshake', async () => {
    receiver = await startReceiver('tok-1');
    const f = await t.fixture({ callback_url: receiver.url, verify_token: 'tok-1', webhook_version: 'v24.0' });
    expect(receiver.handshakes).toHaveLength(1);
    const subs = await t.call('GET', `/${f.app_id}/subscriptions`, { token: `${f.app_id}|${f.app_secret}` });
    expect(subs.body.data[0]).toMatchObject({ object: 'whatsapp_business_account', callback_url: receiver.url, active: true });
    expect(subs.body.data[0].fields).toContainEqual({ name: 'messages', version: 'v24.0' });
  });

  it('creates nothing when the handshake or a value fails', async () => {
    receiver = await startReceiver('right');
    const failed = await t.call('POST', '/_emulator/fixtures', { json: { callback_url: receiver.url, verify_token: 'wrong' } });
    expect(failed.status).toBe(400);
    expect(failed.body.error.code).toBe(100);
    const bad = await t.call('POST', '/_emulator/fixtures', { json: { pin: '12', app_id: 'x' } });
    expect(bad.status).toBe(400);
    const odd = await t.call('POST', '/_emulator/fixtures', { json: [1, 2] });
    expect(odd.status).toBe(200);
    expect(t.emu.ctx.state.apps.size).toBe(1);
  });
});
