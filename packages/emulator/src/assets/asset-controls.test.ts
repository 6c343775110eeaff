import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FixtureResult } from '../control/fixtures.js';
import { changesOf, startEmulator, startReceiver, type Receiver, type TestEmulator } from './test-support.js';
import { WBMA_CALLS_PER_HOUR } from './wbma-rate-limit.js';

describe('quality, limits and status controls', () => {
  let t: TestEmulator;
  let f: FixtureResult;
  let receiver: Receiver;
  beforeEach(async () => {
    t = await startEmulator();
    receiver = await startReceiver('v');
    f = await t.fixture({ callback_url: receiver.url, verify_token: 'v' });
  });
  afterEach(async () => {
    await t.close();
    await receiver.close();
  });
  const control = (path: string, json: unknown) => t.call('POST', `/_emulator/phone_numbers/${f.phone_number_id}/${path}`, { json });

  it('flags and unflags on quality moves into and out of RED', async () => {
    expect((await control('quality', { quality_rating: 'YELLOW' })).body.webhook_event).toBeNull();
    expect((await control('quality', { quality_rating: 'RED' })).body).toMatchObject({ quality_rating: 'RED', webhook_event: 'FLAGGED' });
    expect((await control('quality', { quality_rating: 'GREEN' })).body.webhook_event).toBe('UNFLAGGED');
    await vi.waitFor(() => expect(changesOf(receiver.posts, 'phone_number_quality_update')).toHaveLength(2));
    expect(changesOf(receiver.posts, 'phone_number_quality_update')[0]).toEqual({
      display_phone_number: f.wa_id,
      event: 'FLAGGED',
      current_limit: 'TIER_2K',
      max_daily_conversations_per_business: 'TIER_2K',
    });
    const read = await t.call('GET', `/${f.phone_number_id}?fields=quality_rating`, { token: f.access_token });
    expect(read.body.quality_rating).toBe('GREEN');
    expect((await control('quality', { quality_rating: 'PURPLE' })).body.error.code).toBe(100);
  });

  it('upgrades throughput to 1,000 mps with THROUGHPUT_UPGRADE', async () => {
    const high = await control('throughput', { level: 'HIGH' });
    expect(high.body).toMatchObject({ throughput_level: 'HIGH', mps: 1_000 });
    await vi.waitFor(() => expect(changesOf(receiver.posts, 'phone_number_quality_update')).toHaveLength(1));
    expect(changesOf(receiver.posts, 'phone_number_quality_update')[0]).toMatchObject({ event: 'THROUGHPUT_UPGRADE' });
    expect((await control('throughput', { mps: 20 })).body).toMatchObject({ throughput_level: 'HIGH', mps: 20 });
    expect((await control('throughput', { level: 'STANDARD' })).body).toMatchObject({ throughput_level: 'STANDARD', mps: 80 });
    expect((await control('throughput', { mps: 0 })).body.error.code).toBe(100);
    expect((await control('throughput', {})).body.error.code).toBe(100);
    expect(t.emu.ctx.state.phoneNumbers.get(f.phone_number_id)?.mps).toBe(80);
  });

  it('sets the portfolio messaging limit with business_capability_update', async () => {
    const res = await t.call('POST', `/_emulator/businesses/${f.business_id}/messaging_limit`, { json: { tier: 'TIER_10K' } });
    expect(res.body).toMatchObject({ messaging_limit_tier: 'TIER_10K', waba_ids: [f.waba_id] });
    await vi.waitFor(() => expect(changesOf(receiver.posts, 'business_capability_update')).toHaveLength(1));
    expect(changesOf(receiver.posts, 'business_capability_update')[0]).toEqual({
      max_daily_conversations_per_business: 'TIER_10K',
      max_daily_conversation_per_phone: 10_000,
      max_phone_numbers_per_business: 20,
    });
    expect(t.emu.ctx.state.businesses.get(f.business_id)?.messagingLimitTier).toBe('TIER_10K');
    const read = await t.call('GET', `/${f.phone_number_id}?fields=whatsapp_business_manager_messaging_limit`, { token: f.access_token });
    expect(read.body.whatsapp_business_manager_messaging_limit).toBe('TIER_10K');
    expect((await t.call('POST', `/_emulator/businesses/${f.business_id}/messaging_limit`, { json: { tier: 'TIER_3' } })).status).toBe(400);
    expect((await t.call('POST', '/_emulator/businesses/123/messaging_limit', { json: { tier: 'TIER_2K' } })).body.error.error_subcode).toBe(33);
  });

  it('sets status and business verification', async () => {
    expect((await control('status', { status: 'restricted' })).body.status).toBe('RESTRICTED');
    const health = await t.call('GET', `/${f.phone_number_id}?fields=status,health_status`, { token: f.access_token });
    expect(health.body).toMatchObject({ status: 'RESTRICTED', health_status: { can_send_message: 'LIMITED' } });
    expect((await control('status', { status: 'GONE' })).status).toBe(400);
    const unverified = await t.call('POST', `/_emulator/businesses/${f.business_id}/verification`, { json: { verification_status: 'unverified' } });
    expect(unverified.body).toMatchObject({ verification_status: 'unverified', max_phone_numbers_per_business: 20 });
    const view = await t.call('GET', `/_emulator/phone_numbers/${f.phone_number_id}`);
    expect(view.body).toMatchObject({ id: f.phone_number_id, pin: f.pin, status: 'RESTRICTED' });
    expect((await t.call('GET', '/_emulator/phone_numbers/1/sim')).body.error.error_subcode).toBe(33);
  });

  it('limits Business Management API calls per app per WABA per hour (80008)', async () => {
    await t.call('POST', `/_emulator/phone_numbers/${f.phone_number_id}/status`, { json: { status: 'DISCONNECTED' } });
    // The fixture already made no management calls on this WABA: the full budget of 200 is free.
    for (let i = 0; i < WBMA_CALLS_PER_HOUR; i++) {
      const ok = await t.call('GET', `/${f.waba_id}`, { token: f.access_token });
      expect(ok.status).toBe(200);
    }
    const over = await t.call('GET', `/${f.waba_id}/phone_numbers`, { token: f.access_token });
    expect(over.status).toBe(400);
    expect(over.body.error).toMatchObject({ code: 80008, is_transient: true });
    // A registered number lifts the budget to 5,000 per hour.
    await t.call('POST', `/_emulator/phone_numbers/${f.phone_number_id}/status`, { json: { status: 'CONNECTED' } });
    expect((await t.call('GET', `/${f.waba_id}`, { token: f.access_token })).status).toBe(200);
    await t.call('POST', `/_emulator/phone_numbers/${f.phone_number_id}/status`, { json: { status: 'DISCONNECTED' } });
    t.clock.advance(3_600_000);
    expect((await t.call('GET', `/${f.waba_id}`, { token: f.access_token })).status).toBe(200);
  });
});
