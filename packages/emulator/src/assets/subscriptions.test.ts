import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FixtureResult } from '../control/fixtures.js';
import { changesOf, startEmulator, startReceiver, type Receiver, type TestEmulator } from './test-support.js';

describe('webhook subscriptions', () => {
  let t: TestEmulator;
  let f: FixtureResult;
  let appToken: string;
  let receiver: Receiver;
  beforeEach(async () => {
    t = await startEmulator();
    f = await t.fixture();
    appToken = `${f.app_id}|${f.app_secret}`;
    receiver = await startReceiver('app-token');
  });
  afterEach(async () => {
    await t.close();
    await receiver.close();
  });

  it('subscribes the app with its app token after the handshake', async () => {
    const body = { object: 'whatsapp_business_account', callback_url: receiver.url, verify_token: 'app-token', fields: 'messages,security' };
    const userToken = await t.call('POST', `/v23.0/${f.app_id}/subscriptions`, { token: f.access_token, json: body });
    expect(userToken.body.error.code).toBe(15);
    const otherApp = await t.fixture();
    const wrongApp = await t.call('POST', `/${f.app_id}/subscriptions`, { token: `${otherApp.app_id}|${otherApp.app_secret}`, json: body });
    expect(wrongApp.body.error.code).toBe(200);

    const failed = await t.call('POST', `/${f.app_id}/subscriptions`, { token: appToken, json: { ...body, verify_token: 'nope' } });
    expect(failed.status).toBe(400);
    expect(failed.body.error.message).toContain('Callback verification failed');
    expect((await t.call('GET', `/${f.app_id}/subscriptions`, { token: appToken })).body).toEqual({ data: [] });

    const ok = await t.call('POST', `/${f.app_id}/subscriptions`, { token: appToken, form: body });
    expect(ok.body).toEqual({ success: true });
    expect(receiver.handshakes.at(-1)?.get('hub.mode')).toBe('subscribe');
    const more = await t.call('POST', `/${f.app_id}/subscriptions`, { token: appToken, json: { ...body, fields: ['phone_number_name_update'] } });
    expect(more.body).toEqual({ success: true });
    const list = await t.call('GET', `/${f.app_id}/subscriptions`, { token: appToken });
    expect(list.body).toEqual({
      data: [
        {
          object: 'whatsapp_business_account',
          callback_url: receiver.url,
          active: true,
          fields: [
            { name: 'messages', version: 'v23.0' },
            { name: 'phone_number_name_update', version: 'v23.0' },
            { name: 'security', version: 'v23.0' },
          ],
        },
      ],
    });

    // Deliveries follow the subscription: security is subscribed, so a PIN change arrives.
    await t.call('POST', `/${f.phone_number_id}`, { token: f.access_token, json: { pin: '135790' } });
    await vi.waitFor(() => expect(changesOf(receiver.posts, 'security')).toHaveLength(1));

    await t.call('DELETE', `/${f.app_id}/subscriptions?object=whatsapp_business_account&fields=security`, { token: appToken });
    expect((await t.call('GET', `/${f.app_id}/subscriptions`, { token: appToken })).body.data[0].fields).toHaveLength(2);
    await t.call('DELETE', `/${f.app_id}/subscriptions?object=whatsapp_business_account`, { token: appToken });
    expect((await t.call('GET', `/${f.app_id}/subscriptions`, { token: appToken })).body).toEqual({ data: [] });
  });

  it('validates app subscriptions with Meta errors', async () => {
    for (const json of [
      { callback_url: receiver.url, verify_token: 'app-token', fields: 'messages' },
      { object: 'whatsapp_business_account', verify_token: 'app-token', fields: 'messages' },
      { object: 'whatsapp_business_account', callback_url: receiver.url, fields: 'messages' },
      { object: 'whatsapp_business_account', callback_url: receiver.url, verify_token: 'app-token' },
      { object: 'whatsapp_business_account', callback_url: receiver.url, verify_token: 'app-token', fields: 'messages,bogus' },
      { object: 'planets', callback_url: receiver.url, verify_token: 'app-token', fields: 'messages' },
      { object: 'whatsapp_business_account', callback_url: 'not a url', verify_token: 'app-token', fields: 'messages' },
    ]) {
      const res = await t.call('POST', `/${f.app_id}/subscriptions`, { token: appToken, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.error.code).toBe(100);
    }
    expect((await t.call('GET', '/123456789012345/subscriptions', { token: appToken })).body.error.error_subcode).toBe(33);
  });

  it('subscribes a WABA, sets and clears a WABA override, and unsubscribes', async () => {
    const override = await startReceiver('waba-token');
    try {
      const tooLong = await t.call('POST', `/${f.waba_id}/subscribed_apps`, { token: f.access_token, json: { override_callback_uri: `https://example.com/${'x'.repeat(200)}`, verify_token: 'waba-token' } });
      expect(tooLong.body.error.code).toBe(100);
      const noToken = await t.call('POST', `/${f.waba_id}/subscribed_apps`, { token: f.access_token, json: { override_callback_uri: override.url } });
      expect(noToken.body.error.code).toBe(100);
      const failed = await t.call('POST', `/${f.waba_id}/subscribed_apps`, { token: f.access_token, json: { override_callback_uri: override.url, verify_token: 'bad' } });
      expect(failed.status).toBe(400);

      const set = await t.call('POST', `/${f.waba_id}/subscribed_apps`, { token: f.access_token, json: { override_callback_uri: override.url, verify_token: 'waba-token' } });
      expect(set.body).toEqual({ success: true });
      const list = await t.call('GET', `/v23.0/${f.waba_id}/subscribed_apps`, { token: f.access_token });
      expect(list.body).toEqual({
        data: [
          {
            whatsapp_business_api_data: { id: f.app_id, link: `https://www.facebook.com/games/?app_id=${f.app_id}`, name: 'Switchboard Test App' },
            override_callback_uri: override.url,
          },
        ],
      });
      const phone = await t.call('GET', `/${f.phone_number_id}?fields=webhook_configuration`, { token: f.access_token });
      expect(phone.body.webhook_configuration).toEqual({ whatsapp_business_account: override.url });

      // Posting again without a body clears the override; the app stays subscribed.
      const bare = await fetch(`${t.url}/v23.0/${f.waba_id}/subscribed_apps`, { method: 'POST', headers: { authorization: `Bearer ${f.access_token}` } });
      expect(await bare.json()).toEqual({ success: true });
      const after = await t.call('GET', `/${f.waba_id}/subscribed_apps`, { token: f.access_token });
      expect(after.body.data[0].override_callback_uri).toBeUndefined();

      expect((await t.call('DELETE', `/${f.waba_id}/subscribed_apps`, { token: f.access_token })).body).toEqual({ success: true });
      expect((await t.call('GET', `/${f.waba_id}/subscribed_apps`, { token: f.access_token })).body).toEqual({ data: [] });
      // An app token only reaches WABAs its app is subscribed to.
      expect((await t.call('GET', `/${f.waba_id}/subscribed_apps`, { token: appToken })).status).toBe(403);
    } finally {
      await override.close();
    }
  });

  it('gives app tokens and debugs tokens', async () => {
    const token = await t.call('GET', `/oauth/access_token?client_id=${f.app_id}&client_secret=${f.app_secret}&grant_type=client_credentials`);
    expect(token.body).toEqual({ access_token: appToken, token_type: 'bearer' });
    const badSecret = await t.call('GET', `/oauth/access_token?client_id=${f.app_id}&client_secret=nope&grant_type=client_credentials`);
    expect(badSecret.status).toBe(400);
    expect(badSecret.body.error.message).toBe('Error validating client secret.');
    expect((await t.call('GET', `/oauth/access_token?client_id=1&client_secret=x&grant_type=client_credentials`)).body.error.code).toBe(101);

    const user = await t.call('GET', `/v23.0/debug_token?input_token=${f.access_token}`, { token: appToken });
    expect(user.body.data).toMatchObject({ app_id: f.app_id, type: 'SYSTEM_USER', is_valid: true, user_id: f.system_user_id, expires_at: 0 });
    expect(user.body.data.scopes).toContain('whatsapp_business_management');
    const app = await t.call('GET', `/debug_token?input_token=${encodeURIComponent(appToken)}`, { token: f.access_token });
    expect(app.body.data).toMatchObject({ app_id: f.app_id, type: 'APP', is_valid: true });
    const invalid = await t.call('GET', '/debug_token?input_token=EAAnothing', { token: appToken });
    expect(invalid.body).toEqual({ data: { error: { code: 190, message: 'Invalid OAuth access token.' }, is_valid: false, scopes: [] } });
    expect((await t.call('GET', '/debug_token', { token: appToken })).body.error.code).toBe(100);
    expect((await t.call('GET', `/debug_token?input_token=${f.access_token}`)).status).toBe(401);
  });
});
