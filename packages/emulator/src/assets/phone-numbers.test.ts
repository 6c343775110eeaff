import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FixtureResult } from '../control/fixtures.js';
import { NAME_REVIEW_DELAY_MS } from './display-name.js';
import { changesOf, startEmulator, startReceiver, type Receiver, type TestEmulator } from './test-support.js';

describe('phone numbers', () => {
  let t: TestEmulator;
  let f: FixtureResult;
  let receiver: Receiver;
  beforeEach(async () => {
    t = await startEmulator();
    receiver = await startReceiver('verify-me');
    f = await t.fixture({ callback_url: receiver.url, verify_token: 'verify-me' });
  });
  afterEach(async () => {
    await t.close();
    await receiver.close();
  });

  it('answers the default fields and any selection, with nested selections', async () => {
    const plain = await t.call('GET', `/v23.0/${f.phone_number_id}`, { token: f.access_token });
    expect(plain.body).toEqual({
      id: f.phone_number_id,
      display_phone_number: f.display_phone_number,
      verified_name: 'Switchboard Test',
      code_verification_status: 'VERIFIED',
      quality_rating: 'GREEN',
    });
    const fields =
      'throughput{level},whatsapp_business_manager_messaging_limit,messaging_limit_tier,account_mode,is_preverified_number,last_onboarded_time,health_status{can_send_message},webhook_configuration,new_name_status';
    const rich = await t.call('GET', `/${f.phone_number_id}?fields=${fields}`, { token: f.access_token });
    expect(rich.body).toMatchObject({
      throughput: { level: 'STANDARD' },
      whatsapp_business_manager_messaging_limit: 'TIER_2K',
      messaging_limit_tier: 'TIER_2K',
      account_mode: 'LIVE',
      is_preverified_number: false,
      health_status: { can_send_message: 'AVAILABLE' },
      webhook_configuration: { application: receiver.url },
      new_name_status: 'NONE',
    });
    expect(rich.body.last_onboarded_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    const unknown = await t.call('GET', `/${f.phone_number_id}?fields=nope`, { token: f.access_token });
    expect(unknown.body.error.message).toBe('(#100) Tried accessing nonexisting field (nope) on node type (WhatsAppBusinessPhoneNumber)');
    const broken = await t.call('GET', `/${f.phone_number_id}?fields=throughput{level`, { token: f.access_token });
    expect(broken.status).toBe(400);
  });

  it('lists, pages, filters and adds numbers', async () => {
    for (const n of ['5550100011', '5550100012', '5550100013']) {
      const res = await t.call('POST', `/${f.waba_id}/phone_numbers`, { token: f.access_token, form: { cc: '1', phone_number: n, verified_name: 'Lucky Shrub' } });
      expect(res.status).toBe(200);
      t.clock.advance(1_000);
    }
    const page1 = await t.call('GET', `/v23.0/${f.waba_id}/phone_numbers?limit=2`, { token: f.access_token });
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.data[0].display_phone_number).toBe('+1 555-010-0013');
    expect(page1.body.paging.next).toContain('/v23.0/');
    const next = new URL(page1.body.paging.next as string);
    const page2 = await t.call('GET', `${next.pathname}${next.search}`, { token: f.access_token });
    expect(page2.body.data).toHaveLength(2);
    expect(page2.body.paging.next).toBeUndefined();
    const pending = await t.call('GET', `/${f.waba_id}/phone_numbers?fields=status&filtering=${encodeURIComponent('[{"field":"status","operator":"EQUAL","value":"PENDING"}]')}`, { token: f.access_token });
    expect(pending.body.data).toHaveLength(3);
    const asc = await t.call('GET', `/${f.waba_id}/phone_numbers?sort=${encodeURIComponent("['last_onboarded_time_ascending']")}`, { token: f.access_token });
    expect(asc.body.data[0].id).toBe(f.phone_number_id);

    const duplicate = await t.call('POST', `/${f.waba_id}/phone_numbers`, { token: f.access_token, json: { cc: '1', phone_number: '15550100011', verified_name: 'Again' } });
    expect(duplicate.body.error.code).toBe(100);
    const migrate = await t.call('POST', `/${f.waba_id}/phone_numbers`, { token: f.access_token, json: { cc: '1', phone_number: '5550100099', verified_name: 'Moved', migrate_phone_number: true } });
    expect(migrate.body.error.error_data.details).toContain('migrate_phone_number is not supported');
    for (const json of [{ cc: 'x', phone_number: '5550100098', verified_name: 'Ok Name' }, { cc: '1', phone_number: 'abc', verified_name: 'Ok Name' }, { cc: '1', phone_number: '5550100098', verified_name: 'x' }, { cc: '1' }]) {
      const res = await t.call('POST', `/${f.waba_id}/phone_numbers`, { token: f.access_token, json });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(100);
    }
  });

  it('sets the two-step PIN and sends a security webhook', async () => {
    const bad = await t.call('POST', `/${f.phone_number_id}`, { token: f.access_token, json: { pin: '12ab56' } });
    expect(bad.body.error.code).toBe(100);
    const ok = await t.call('POST', `/${f.phone_number_id}`, { token: f.access_token, json: { pin: '654321' } });
    expect(ok.body).toEqual({ success: true });
    await vi.waitFor(() => expect(changesOf(receiver.posts, 'security')).toHaveLength(1));
    expect(changesOf(receiver.posts, 'security')[0]).toMatchObject({ display_phone_number: f.wa_id, event: 'PIN_CHANGED' });
    const deregistered = await t.call('POST', `/${f.phone_number_id}/deregister`, { token: f.access_token });
    expect(deregistered.status).toBe(200);
    const oldPin = await t.call('POST', `/${f.phone_number_id}/register`, { token: f.access_token, json: { messaging_product: 'whatsapp', pin: f.pin } });
    expect(oldPin.body.error.code).toBe(133005);
  });

  it('sets a phone-level callback override after the handshake, and clears it with ""', async () => {
    const override = await startReceiver('phone-token');
    try {
      const failed = await t.call('POST', `/${f.phone_number_id}`, { token: f.access_token, json: { webhook_configuration: { override_callback_uri: override.url, verify_token: 'wrong' } } });
      expect(failed.status).toBe(400);
      expect(failed.body.error.message).toContain('Callback verification failed');
      expect(t.emu.ctx.state.phoneNumbers.get(f.phone_number_id)?.webhookOverride).toBeUndefined();

      const set = await t.call('POST', `/${f.phone_number_id}`, { token: f.access_token, json: { webhook_configuration: { override_callback_uri: override.url, verify_token: 'phone-token' } } });
      expect(set.body).toEqual({ success: true });
      const read = await t.call('GET', `/${f.phone_number_id}?fields=webhook_configuration`, { token: f.access_token });
      expect(read.body.webhook_configuration).toEqual({ phone_number: override.url, application: receiver.url });

      const tooLong = await t.call('POST', `/${f.phone_number_id}`, { token: f.access_token, json: { webhook_configuration: { override_callback_uri: `${override.url}?${'x'.repeat(200)}`, verify_token: 'phone-token' } } });
      expect(tooLong.body.error.code).toBe(100);

      const cleared = await t.call('POST', `/${f.phone_number_id}`, { token: f.access_token, json: { webhook_configuration: { override_callback_uri: '' } } });
      expect(cleared.body).toEqual({ success: true });
      const after = await t.call('GET', `/${f.phone_number_id}?fields=webhook_configuration`, { token: f.access_token });
      expect(after.body.webhook_configuration).toEqual({ application: receiver.url });
    } finally {
      await override.close();
    }
  });

  it('reviews display-name changes and applies an approved one at the next registration', async () => {
    const ok = await t.call('POST', `/${f.phone_number_id}`, { token: f.access_token, json: { new_display_name: 'Lucky Shrub Garden' } });
    expect(ok.body).toEqual({ success: true });
    let read = await t.call('GET', `/${f.phone_number_id}?fields=verified_name,new_name_status`, { token: f.access_token });
    expect(read.body).toMatchObject({ verified_name: 'Switchboard Test', new_name_status: 'PENDING_REVIEW' });

    t.clock.advance(NAME_REVIEW_DELAY_MS);
    await vi.waitFor(() => expect(changesOf(receiver.posts, 'phone_number_name_update')).toHaveLength(1));
    expect(changesOf(receiver.posts, 'phone_number_name_update')[0]).toEqual({
      display_phone_number: f.wa_id,
      decision: 'APPROVED',
      requested_verified_name: 'Lucky Shrub Garden',
      rejection_reason: null,
    });
    read = await t.call('GET', `/${f.phone_number_id}?fields=verified_name,new_name_status`, { token: f.access_token });
    expect(read.body).toMatchObject({ verified_name: 'Switchboard Test', new_name_status: 'APPROVED' });
    await t.call('POST', `/${f.phone_number_id}/register`, { token: f.access_token, json: { messaging_product: 'whatsapp', pin: f.pin } });
    read = await t.call('GET', `/${f.phone_number_id}?fields=verified_name,name_status,new_name_status`, { token: f.access_token });
    expect(read.body).toMatchObject({ verified_name: 'Lucky Shrub Garden', name_status: 'APPROVED', new_name_status: 'NONE' });
  });

  it('rejects names by the documented rule, and lets the control API decide first', async () => {
    await t.call('POST', `/${f.phone_number_id}`, { token: f.access_token, json: { new_display_name: 'WhatsApp Deals' } });
    t.clock.advance(NAME_REVIEW_DELAY_MS);
    await vi.waitFor(() => expect(changesOf(receiver.posts, 'phone_number_name_update')).toHaveLength(1));
    expect(changesOf(receiver.posts, 'phone_number_name_update')[0]).toMatchObject({ decision: 'REJECTED', rejection_reason: 'NAME_FORMAT_UNACCEPTABLE' });

    await t.call('POST', `/${f.phone_number_id}`, { token: f.access_token, json: { new_display_name: 'Perfectly Fine Name' } });
    const decided = await t.call('POST', `/_emulator/phone_numbers/${f.phone_number_id}/name_decision`, { json: { decision: 'REJECTED', rejection_reason: 'NAME_NOT_CONSISTENT' } });
    expect(decided.body).toMatchObject({ new_name_status: 'DECLINED' });
    t.clock.advance(NAME_REVIEW_DELAY_MS);
    await vi.waitFor(() => expect(changesOf(receiver.posts, 'phone_number_name_update')).toHaveLength(2));
    expect(changesOf(receiver.posts, 'phone_number_name_update')[1]).toMatchObject({ decision: 'REJECTED', rejection_reason: 'NAME_NOT_CONSISTENT' });
    const none = await t.call('POST', `/_emulator/phone_numbers/${f.phone_number_id}/name_decision`, { json: { decision: 'APPROVED' } });
    expect(none.body.error.code).toBe(100);
  });

  it('reviews the name of a newly added number', async () => {
    const added = await t.call('POST', `/${f.waba_id}/phone_numbers`, { token: f.access_token, json: { cc: '1', phone_number: '5550100055', verified_name: 'Jo' } });
    const id = added.body.id as string;
    expect((await t.call('GET', `/${id}?fields=name_status`, { token: f.access_token })).body.name_status).toBe('PENDING_REVIEW');
    t.clock.advance(NAME_REVIEW_DELAY_MS);
    expect((await t.call('GET', `/${id}?fields=name_status`, { token: f.access_token })).body.name_status).toBe('DECLINED');
  });

  it('answers 200 to another business and 100/33 to unknown ids', async () => {
    const other = await t.fixture();
    for (const [method, path] of [
      ['GET', `/${f.phone_number_id}`],
      ['POST', `/${f.phone_number_id}?pin=123456`],
      ['GET', `/${f.waba_id}/phone_numbers`],
      ['POST', `/${f.waba_id}/phone_numbers?cc=1&phone_number=5550100066&verified_name=Hacker`],
      ['GET', `/${f.phone_number_id}/whatsapp_business_profile`],
    ] as const) {
      const res = await t.call(method, path, { token: other.access_token });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe(200);
    }
    const unknown = await t.call('GET', '/123456789012345?fields=status', { token: f.access_token });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 33 });
    expect((await t.call('GET', '/123456789012345/phone_numbers', { token: f.access_token })).body.error.error_subcode).toBe(33);
  });
});
