/**
 * POST /api/v1/messages:check answers what a send would get — accepted or the refusing rule with
 * Meta's error, the pricing category, the windows — and changes nothing; GET/PUT /api/v1/policy.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack, type TenantWithNumber } from '../../test/stack.js';
import { HOUR, metaOutbound, metaVerdict, platformStored, sendPath, toMeta, userWrites } from './policy-test-support.js';

describe('dry run and policy settings', () => {
  let stack: Stack;
  let tenant: TenantWithNumber;

  beforeAll(async () => {
    stack = await startStack();
    tenant = await stack.tenantWithNumber('Dry');
  });
  afterAll(async () => stack.close());

  const text = (to: string) => ({ messaging_product: 'whatsapp', to, type: 'text', text: { body: 'hi' } });
  const order = (to: string, parameters = ['Ada', 'SB-1']) => ({
    messaging_product: 'whatsapp',
    to,
    type: 'template',
    template: { name: 'order_confirmation', language: { code: 'en_US' }, components: [{ type: 'body', parameters: parameters.map((t) => ({ type: 'text', text: t })) }] },
  });
  const check = (message: unknown, key = tenant.api_key, phone = tenant.sandbox.phone_number_id) =>
    stack.call('POST', '/api/v1/messages:check', key, { phone_number_id: phone, message });

  it('answers inside and outside the window, with pricing, and stores, sends and counts nothing', async () => {
    const user = '15550130001';
    const stored = await platformStored(stack, tenant);
    const atMeta = metaOutbound(stack, tenant);

    const before = await check(text(user));
    expect(before.status).toBe(200);
    expect(before.json).toMatchObject({ accepted: false, rule: 'window', error: { error: { code: 131047 } }, window: { open: false, expires_at: null } });
    const templateCold = await check(order(user));
    expect(templateCold.json).toMatchObject({
      accepted: true,
      rule: null,
      category: 'utility',
      pricing_type: 'regular',
      billable: true,
      outside_window: true,
      opens_window: false,
      template: { name: 'order_confirmation', language: 'en_US', status: 'APPROVED' },
    });

    await userWrites(stack, tenant, user);
    const inside = await check(text(user));
    expect(inside.json).toMatchObject({ accepted: true, category: 'service', pricing_type: 'free_customer_service', billable: false, outside_window: false });
    expect(inside.json.window.open).toBe(true);
    // The window ends 24 h after the user's message (Meta's timestamps are whole seconds).
    expect(Date.parse(inside.json.window.expires_at)).toBe(Math.floor((stack.clock.now()) / 1000) * 1000 + 24 * HOUR);
    const templateWarm = await check(order(user));
    expect(templateWarm.json).toMatchObject({ accepted: true, category: 'utility', pricing_type: 'free_customer_service', billable: false });

    const badParams = await check(order(user, ['Ada']));
    expect(badParams.json).toMatchObject({ accepted: false, rule: 'template', error: { error: { code: 132000 } } });
    const invalid = await check({ messaging_product: 'whatsapp', to: user, type: 'text', text: {} });
    expect(invalid.json).toMatchObject({ accepted: false, rule: 'validation', error: { error: { code: 131008 } } });

    expect(await platformStored(stack, tenant)).toEqual(stored);
    expect(metaOutbound(stack, tenant)).toBe(atMeta);
  });

  it('says when a reply opens a free-entry-point window, opens it only on a real send, as Meta prices it', async () => {
    const user = '15550130002';
    await userWrites(stack, tenant, user, { referral: { source_type: 'ad', source_id: '120', source_url: 'https://fb.me/ad' } });
    for (let i = 0; i < 2; i++) {
      const dry = await check(text(user));
      expect(dry.json).toMatchObject({ accepted: true, opens_window: true, pricing_type: 'free_entry_point', billable: false, free_entry_point: { open: true } });
      expect(Date.parse(dry.json.free_entry_point.expires_at)).toBe(stack.clock.now() + 72 * HOUR);
    }
    const opensAt = stack.clock.now();
    const sent = await stack.call('POST', sendPath(tenant), tenant.api_key, text(user));
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    stack.clock.advance(HOUR);
    const after = await check(order(user));
    expect(after.json).toMatchObject({ accepted: true, opens_window: false, pricing_type: 'free_entry_point', free_entry_point: { open: true } });
    expect(Date.parse(after.json.free_entry_point.expires_at)).toBe(opensAt + 72 * HOUR);

    // Meta priced the reply the same way.
    const [row] = await stack.db.sql<{ wamid: string }[]>`select wamid from messages where wamid = ${sent.json.messages[0].id}`;
    expect(row).toBeDefined();
    await vi.waitFor(() => {
      stack.clock.advance(100);
      const atMeta = [...stack.emulator.ctx.state.messages.values()].find((m) => m.direction === 'outbound' && m.waId === user && m.type === 'text');
      expect(atMeta?.pricing?.type).toBe('free_entry_point');
    });
  });

  it('gives the refusal Meta would give for the same request', async () => {
    const user = '15550130003';
    const dry = await check(text(user));
    expect(dry.json.error.error.code).toBe(131047);
    const meta = await toMeta(stack, tenant, 'POST', `${tenant.sandbox.phone_number_id}/messages`, text(user));
    expect(await metaVerdict(stack, meta.json.messages[0].id)).toBe(dry.json.error.error.code);
    const dryTemplate = await check(order(user, ['Ada', 'SB-1', 'extra']));
    const metaTemplate = await toMeta(stack, tenant, 'POST', `${tenant.sandbox.phone_number_id}/messages`, order(user, ['Ada', 'SB-1', 'extra']));
    expect(dryTemplate.json.error.error.code).toBe(metaTemplate.json.error.code);
    expect(dryTemplate.json.error.error.error_data.details).toBe(metaTemplate.json.error.error_data.details);
  });

  it("treats another tenant's number like one that does not exist, and refuses a bad body", async () => {
    const other = await stack.tenantWithNumber('Other');
    const foreign = await check(text('15550130004'), other.api_key);
    const missing = await check(text('15550130004'), other.api_key, '1234567890123');
    expect(foreign.status).toBe(missing.status);
    expect(foreign.json.error).toMatchObject({ code: 100, error_subcode: 33 });
    const noNumber = await stack.call('POST', '/api/v1/messages:check', tenant.api_key, { message: text('15550130004') });
    expect(noNumber.status).toBe(400);
    expect(noNumber.json.error.code).toBe(100);
    const asOperator = await check(text('15550130004'), stack.operatorKey);
    expect(asOperator.json).toMatchObject({ accepted: false, rule: 'window' });
  });

  it('reads and changes the settings, for the tenant only', async () => {
    const defaults = await stack.call('GET', '/api/v1/policy', tenant.api_key);
    expect(defaults.json).toEqual({
      tenant_id: tenant.tenant_id,
      window_enforcement: 'platform',
      require_opt_in_for_marketing: false,
      over_limit: 'refuse',
      updated_at: null,
    });
    const changed = await stack.call('PUT', '/api/v1/policy', tenant.api_key, { over_limit: 'hold' });
    expect(changed.json).toMatchObject({ window_enforcement: 'platform', over_limit: 'hold', updated_at: new Date(stack.clock.now()).toISOString() });
    const again = await stack.call('PUT', '/api/v1/policy', tenant.api_key, { require_opt_in_for_marketing: true });
    expect(again.json).toMatchObject({ over_limit: 'hold', require_opt_in_for_marketing: true });
    for (const body of [{ window_enforcement: 'nobody' }, { over_limit: 1 }, { require_opt_in_for_marketing: 'maybe' }, [1]]) {
      const bad = await stack.call('PUT', '/api/v1/policy', tenant.api_key, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.json.error.code).toBe(100);
    }
    const other = await stack.tenantWithNumber('Neighbour');
    expect((await stack.call('GET', '/api/v1/policy', other.api_key)).json.over_limit).toBe('refuse');
    const named = await stack.call('GET', `/api/v1/policy?tenant_id=${tenant.tenant_id}`, other.api_key);
    expect(named.json.error).toMatchObject({ code: 100, error_subcode: 33 });
    const operator = await stack.call('GET', `/api/v1/policy?tenant_id=${tenant.tenant_id}`, stack.operatorKey);
    expect(operator.json.require_opt_in_for_marketing).toBe(true);
    expect((await stack.call('GET', '/api/v1/policy', stack.operatorKey)).status).toBe(400);
    await stack.call('PUT', '/api/v1/policy', tenant.api_key, { over_limit: 'refuse', require_opt_in_for_marketing: false });
  });
});
