import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FixtureResult } from '../control/fixtures.js';
import { createAccessToken, createSystemUser } from './create-assets.js';
import { startEmulator, type TestEmulator } from './test-support.js';

describe('businesses, WABAs and assigned users', () => {
  let t: TestEmulator;
  let f: FixtureResult;
  beforeEach(async () => {
    t = await startEmulator();
    f = await t.fixture({ business_name: 'Lucky Shrub', waba_name: 'Lucky Shrub WABA' });
  });
  afterEach(() => t.close());

  it('reads a business and the WABAs it owns', async () => {
    const business = await t.call('GET', `/v23.0/${f.business_id}`, { token: f.access_token });
    expect(business.body).toEqual({ id: f.business_id, name: 'Lucky Shrub' });
    const withStatus = await t.call('GET', `/${f.business_id}?fields=verification_status`, { token: f.access_token });
    expect(withStatus.body).toEqual({ verification_status: 'verified', id: f.business_id });
    const owned = await t.call('GET', `/${f.business_id}/owned_whatsapp_business_accounts`, { token: f.access_token });
    expect(owned.body.data).toHaveLength(1);
    expect(owned.body.data[0]).toMatchObject({ id: f.waba_id, name: 'Lucky Shrub WABA', timezone_id: '1' });
    expect(owned.body.paging.cursors.after).toBeTypeOf('string');
    expect((await t.call('GET', `/${f.business_id}/client_whatsapp_business_accounts`, { token: f.access_token })).body).toEqual({ data: [] });
  });

  it('reads a WABA with default and selected fields', async () => {
    const plain = await t.call('GET', `/${f.waba_id}`, { token: f.access_token });
    expect(Object.keys(plain.body).sort()).toEqual(['id', 'message_template_namespace', 'name', 'timezone_id']);
    const rich = await t.call('GET', `/${f.waba_id}?fields=currency,account_review_status,business_verification_status,ownership_type,whatsapp_business_manager_messaging_limit,owner_business_info,health_status`, { token: f.access_token });
    expect(rich.body).toMatchObject({
      currency: 'USD',
      account_review_status: 'APPROVED',
      business_verification_status: 'verified',
      ownership_type: 'SELF_OWNED',
      whatsapp_business_manager_messaging_limit: 'TIER_2K',
      owner_business_info: { id: f.business_id, name: 'Lucky Shrub' },
      health_status: { can_send_message: 'AVAILABLE' },
    });
    expect((await t.call('GET', `/${f.waba_id}?fields=colour`, { token: f.access_token })).body.error.code).toBe(100);
  });

  it('isolates businesses: 200 for assets of another, 100/33 for unknown ids', async () => {
    const other = await t.fixture();
    for (const path of [`/${f.business_id}`, `/${f.business_id}/owned_whatsapp_business_accounts`, `/${f.waba_id}`, `/${f.waba_id}/subscribed_apps`, `/${f.waba_id}/assigned_users?business=${f.business_id}`]) {
      const res = await t.call('GET', path, { token: other.access_token });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe(200);
    }
    const unknown = await t.call('GET', '/123456789012345/owned_whatsapp_business_accounts', { token: f.access_token });
    expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
    expect((await t.call('GET', `/${f.waba_id}`, { token: 'EAAbogus' })).body.error.code).toBe(190);
  });

  it('grants a partner system user access to a client WABA', async () => {
    const partner = await t.fixture({ business_name: 'Partner BSP' });
    const ctx = t.emu.ctx;
    // The partner's system user, whose token first cannot reach the client's WABA.
    const partnerUser = createSystemUser(ctx, { businessId: partner.business_id, name: 'BSP bot' });
    const partnerToken = createAccessToken(ctx, { appId: partner.app_id, businessId: partner.business_id, userId: partnerUser.id });
    expect((await t.call('GET', `/${f.waba_id}`, { token: partnerToken.token })).status).toBe(403);

    const missingTasks = await t.call('POST', `/${f.waba_id}/assigned_users?user=${partnerUser.id}`, { token: f.access_token });
    expect(missingTasks.body.error.code).toBe(100);
    const badTask = await t.call('POST', `/${f.waba_id}/assigned_users?user=${partnerUser.id}&tasks=${encodeURIComponent("['FLY']")}`, { token: f.access_token });
    expect(badTask.body.error.code).toBe(100);
    const byApp = await t.call('POST', `/${f.waba_id}/assigned_users?user=${partnerUser.id}&tasks=MANAGE`, { token: `${f.app_id}|${f.app_secret}` });
    expect(byApp.body.error.code).toBe(200);

    const granted = await t.call('POST', `/${f.waba_id}/assigned_users?user=${partnerUser.id}&tasks=${encodeURIComponent("['MANAGE','MESSAGING']")}`, { token: f.access_token });
    expect(granted.body).toEqual({ success: true });
    expect((await t.call('GET', `/${f.waba_id}`, { token: partnerToken.token })).status).toBe(200);
    const ownership = await t.call('GET', `/${f.waba_id}?fields=ownership_type`, { token: partnerToken.token });
    expect(ownership.body.ownership_type).toBe('CLIENT_OWNED');
    const clients = await t.call('GET', `/${partner.business_id}/client_whatsapp_business_accounts`, { token: partnerToken.token });
    expect(clients.body.data.map((w: { id: string }) => w.id)).toEqual([f.waba_id]);

    const users = await t.call('GET', `/${f.waba_id}/assigned_users?business=${partner.business_id}`, { token: f.access_token });
    expect(users.body.data).toEqual([{ id: partnerUser.id, name: 'BSP bot', user_type: 'SYSTEM_USER', tasks: ['MANAGE', 'MESSAGING'], business: { id: partner.business_id, name: 'Partner BSP' } }]);
    expect((await t.call('GET', `/${f.waba_id}/assigned_users`, { token: f.access_token })).body.error.code).toBe(100);

    const revoked = await t.call('DELETE', `/${f.waba_id}/assigned_users?user=${partnerUser.id}`, { token: f.access_token });
    expect(revoked.body).toEqual({ success: true });
    expect((await t.call('GET', `/${f.waba_id}`, { token: partnerToken.token })).status).toBe(403);
    const stranger = await t.call('POST', `/${f.waba_id}/assigned_users?user=999&tasks=MANAGE`, { token: f.access_token });
    expect(stranger.body.error.code).toBe(100);
  });
});
