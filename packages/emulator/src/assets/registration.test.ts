import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FixtureResult } from '../control/fixtures.js';
import { startEmulator, type TestEmulator } from './test-support.js';

const HOUR = 3_600_000;

describe('verifying and registering a number', () => {
  let t: TestEmulator;
  let f: FixtureResult;
  let phoneId: string;
  beforeEach(async () => {
    t = await startEmulator();
    f = await t.fixture();
    const added = await t.call('POST', `/v23.0/${f.waba_id}/phone_numbers`, { token: f.access_token, json: { cc: '1', phone_number: '5550100077', verified_name: 'Lucky Shrub' } });
    expect(added.status).toBe(200);
    phoneId = added.body.id;
  });
  afterEach(() => t.close());

  const sim = async () => (await t.call('GET', `/_emulator/phone_numbers/${phoneId}/sim`)).body;

  it('adds a number PENDING and UNVERIFIED, then verifies and registers it', async () => {
    const before = await t.call('GET', `/${phoneId}?fields=status,code_verification_status,platform_type,display_phone_number`, { token: f.access_token });
    expect(before.body).toEqual({ id: phoneId, status: 'PENDING', code_verification_status: 'UNVERIFIED', platform_type: 'NOT_APPLICABLE', display_phone_number: '+1 555-010-0077' });

    const noLanguage = await t.call('POST', `/${phoneId}/request_code?code_method=SMS`, { token: f.access_token });
    expect(noLanguage.status).toBe(400);
    expect(noLanguage.body.error).toMatchObject({ code: 100, error_data: { details: 'The parameter language is required.' } });

    const requested = await t.call('POST', `/${phoneId}/request_code?code_method=SMS&language=en_US`, { token: f.access_token });
    expect(requested.body).toEqual({ success: true });
    const { pending_code, inbox } = await sim();
    expect(pending_code.code).toMatch(/^\d{6}$/);
    expect(inbox[0].text).toContain(`${pending_code.code.slice(0, 3)}-${pending_code.code.slice(3)}`);

    const early = await t.call('POST', `/${phoneId}/register`, { token: f.access_token, json: { messaging_product: 'whatsapp', pin: '112233' } });
    expect(early.body.error.code).toBe(133006);

    const wrong = String((Number(pending_code.code) + 1) % 1_000_000).padStart(6, '0');
    const bad = await t.call('POST', `/${phoneId}/verify_code`, { token: f.access_token, form: { code: wrong } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe(100);
    const good = await t.call('POST', `/${phoneId}/verify_code?code=${pending_code.code}`, { token: f.access_token });
    expect(good.body).toEqual({ success: true });

    const registered = await t.call('POST', `/${phoneId}/register`, { token: f.access_token, json: { messaging_product: 'whatsapp', pin: '112233' } });
    expect(registered.body).toEqual({ success: true });
    const after = await t.call('GET', `/${phoneId}?fields=status,platform_type,is_pin_enabled,code_verification_status`, { token: f.access_token });
    expect(after.body).toMatchObject({ status: 'CONNECTED', platform_type: 'CLOUD_API', is_pin_enabled: true, code_verification_status: 'VERIFIED' });

    // The first PIN became the two-step PIN: a different one no longer registers.
    const mismatch = await t.call('POST', `/${phoneId}/register`, { token: f.access_token, json: { messaging_product: 'whatsapp', pin: '999999' } });
    expect(mismatch.body.error.code).toBe(133005);

    const deregistered = await t.call('POST', `/${phoneId}/deregister`, { token: f.access_token });
    expect(deregistered.body).toEqual({ success: true });
    const again = await t.call('POST', `/${phoneId}/deregister`, { token: f.access_token });
    expect(again.body.error.code).toBe(133010);
  });

  it('locks code requests for about 8 hours after more than 3 in an hour', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await t.call('POST', `/${phoneId}/request_code`, { token: f.access_token, json: { code_method: 'VOICE', language: 'en' } });
      expect(ok.status).toBe(200);
      t.clock.advance(60_000);
    }
    const fourth = await t.call('POST', `/${phoneId}/request_code`, { token: f.access_token, json: { code_method: 'SMS', language: 'en' } });
    expect(fourth.status).toBe(429);
    expect(fourth.body.error).toMatchObject({ code: 4, is_transient: true });
    expect(fourth.body.error.error_data.details).toContain('blocked until');
    expect((await sim()).code_locked_until).not.toBeNull();

    t.clock.advance(7 * HOUR);
    expect((await t.call('POST', `/${phoneId}/request_code`, { token: f.access_token, json: { code_method: 'SMS', language: 'en' } })).status).toBe(429);
    t.clock.advance(HOUR);
    expect((await t.call('POST', `/${phoneId}/request_code`, { token: f.access_token, json: { code_method: 'SMS', language: 'en' } })).status).toBe(200);
  });

  it('allows 3 requests spread over more than an hour without locking', async () => {
    for (let i = 0; i < 6; i++) {
      const ok = await t.call('POST', `/${phoneId}/request_code?code_method=SMS&language=en_US`, { token: f.access_token });
      expect(ok.status).toBe(200);
      t.clock.advance(25 * 60_000);
    }
  });

  it('caps register and deregister at 10 per 72 h, then blocks for 72 h', async () => {
    const id = f.phone_number_id;
    const register = () => t.call('POST', `/${id}/register`, { token: f.access_token, json: { messaging_product: 'whatsapp', pin: f.pin } });
    const deregister = () => t.call('POST', `/${id}/deregister`, { token: f.access_token });
    for (let i = 0; i < 5; i++) {
      expect((await deregister()).status).toBe(200);
      t.clock.advance(HOUR);
      expect((await register()).status).toBe(200);
      t.clock.advance(HOUR);
    }
    const eleventh = await deregister();
    expect(eleventh.body.error).toMatchObject({ code: 133016 });
    // The moving window alone would free a slot 72 h after the first call; the block lasts 72 h from the refusal.
    t.clock.advance(71 * HOUR);
    expect((await deregister()).body.error.code).toBe(133016);
    t.clock.advance(HOUR + 1);
    expect((await deregister()).status).toBe(200);
  });

  it('validates input with Meta errors, never 5xx', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['register', { messaging_product: 'whatsapp', pin: '12345' }],
      ['register', { messaging_product: 'sms', pin: '123456' }],
      ['register', { pin: '123456' }],
      ['register', { messaging_product: 'whatsapp', pin: { x: 1 } }],
      ['request_code', { code_method: 'FAX', language: 'en' }],
      ['request_code', { code_method: 'SMS', language: 'english please' }],
      ['verify_code', { code: '12' }],
      ['verify_code', {}],
    ];
    for (const [path, json] of cases) {
      const res = await t.call('POST', `/${phoneId}/${path}`, { token: f.access_token, json });
      expect(res.status, `${path} ${JSON.stringify(json)}`).toBe(400);
      expect(res.body.error.code).toBe(100);
      expect(res.body.error.fbtrace_id).toBeTypeOf('string');
    }
  });

  it('keeps other businesses out', async () => {
    const other = await t.fixture();
    const denied = await t.call('POST', `/${phoneId}/request_code?code_method=SMS&language=en`, { token: other.access_token });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe(200);
    const unknown = await t.call('POST', '/999999999999999/register', { token: f.access_token, json: { messaging_product: 'whatsapp', pin: '123456' } });
    expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 33 });
    const noToken = await t.call('POST', `/${phoneId}/register`, { json: { messaging_product: 'whatsapp', pin: '123456' } });
    expect(noToken.status).toBe(401);
    expect(noToken.body.error.code).toBe(190);
  });
});
