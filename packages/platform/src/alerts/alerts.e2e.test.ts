/**
 * Alerts end to end (emulator + platform, frozen clock): Meta flags a number RED, lowers the
 * portfolio's messaging limit, pauses and recategorises a template, disables the WABA, raises an
 * account alert; a quality drop Meta does not announce is found by a sync. Each is stored, listed
 * in /api/v1/alerts (tenant-scoped), and sent to the tenant's webhook as `switchboard_alert`; the
 * number's quality, status and tier follow in /api/v1/phone-numbers.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startReceiver, type Receiver } from '../../test/receiver.js';
import { startStack, type Stack, type TenantWithNumber } from '../../test/stack.js';
import { control, type Json } from '../policy/policy-test-support.js';

describe('alerts end to end', () => {
  let stack: Stack;
  let tenant: TenantWithNumber;
  let other: TenantWithNumber;
  let receiver: Receiver;

  beforeAll(async () => {
    stack = await startStack();
    tenant = await stack.tenantWithNumber('Alerted');
    other = await stack.tenantWithNumber('Other');
    receiver = await startReceiver();
    expect((await stack.call('PUT', '/api/v1/webhooks', tenant.api_key, { url: receiver.url, verify_token: 'tenant-verify' })).status).toBe(200);
    expect((await stack.call('POST', '/api/v1/templates:sync', tenant.api_key)).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  /** Waits for an alert of `kind` in the API and on the tenant's webhook; returns it. */
  async function alerted(kind: string): Promise<Json> {
    let alert: Json;
    await vi.waitFor(async () => {
      const list = await stack.call('GET', `/api/v1/alerts?kind=${kind}`, tenant.api_key);
      expect(list.status).toBe(200);
      expect(list.json.data.length).toBeGreaterThan(0);
      alert = list.json.data[0];
    });
    await vi.waitFor(() => {
      const sent = receiver.changes().filter((c) => c.field === 'switchboard_alert' && c.value.id === alert.id);
      expect(sent).toEqual([{ field: 'switchboard_alert', value: alert }]);
    });
    return alert;
  }

  it('raises a critical alert when Meta flags a number RED, and reads the number back', async () => {
    await control(stack, 'POST', `/_emulator/phone_numbers/${tenant.sandbox.phone_number_id}/quality`, { quality_rating: 'RED' });
    const alert = await alerted('number_quality_dropped');
    expect(alert).toMatchObject({
      severity: 'CRITICAL',
      tenant_id: tenant.tenant_id,
      waba_id: tenant.sandbox.waba_id,
      phone_number_id: tenant.sandbox.phone_number_id,
      entity: { type: 'PHONE_NUMBER', id: tenant.sandbox.phone_number_id },
      source: 'webhook',
      details: { previous_quality_rating: 'GREEN', quality_rating: 'RED' },
    });
    const number = await stack.call('GET', `/api/v1/phone-numbers/${tenant.sandbox.phone_number_id}`, tenant.api_key);
    expect(number.json).toMatchObject({ quality_rating: 'RED', quality_event: 'FLAGGED', health_updated_at: expect.any(String) });
    // The refresher read the number from Meta after the webhook.
    await vi.waitFor(async () => {
      const [row] = await stack.db.sql`select refresh_due_at from phone_numbers where id = ${tenant.sandbox.phone_number_id}`;
      expect(row!.refresh_due_at).toBeNull();
    });
    expect((await stack.call('GET', `/api/v1/alerts/${alert.id}`, tenant.api_key)).json).toEqual(alert);
    // Another tenant sees none of it, and the alert's id answers like an unknown one.
    expect((await stack.call('GET', '/api/v1/alerts', other.api_key)).json.data).toEqual([]);
    const theirs = await stack.call('GET', `/api/v1/alerts/${alert.id}`, other.api_key);
    expect(theirs.json.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('finds a drop Meta does not announce (GREEN to YELLOW) when the WABA is synced', async () => {
    await control(stack, 'POST', `/_emulator/phone_numbers/${other.sandbox.phone_number_id}/quality`, { quality_rating: 'YELLOW' });
    await control(stack, 'POST', `/_emulator/phone_numbers/${other.sandbox.phone_number_id}/status`, { status: 'RESTRICTED' });
    expect((await stack.call('POST', `/api/v1/wabas/${other.sandbox.waba_id}:sync`, other.api_key)).status).toBe(200);
    const list = await stack.call('GET', '/api/v1/alerts', other.api_key);
    expect(list.json.data.map((a: Json) => [a.kind, a.severity, a.source]).sort()).toEqual([
      ['number_quality_dropped', 'WARNING', 'read'],
      ['number_restricted', 'CRITICAL', 'read'],
    ]);
    // Syncing again reads the same values: nothing new.
    expect((await stack.call('POST', `/api/v1/wabas/${other.sandbox.waba_id}:sync`, other.api_key)).status).toBe(200);
    expect((await stack.call('GET', '/api/v1/alerts', other.api_key)).json.data).toHaveLength(2);
  });

  it('raises an alert when the portfolio’s messaging limit is lowered', async () => {
    await control(stack, 'POST', `/_emulator/businesses/${tenant.sandbox.business_id}/messaging_limit`, { tier: 'TIER_250' });
    const alert = await alerted('messaging_limit_lowered');
    expect(alert).toMatchObject({ severity: 'WARNING', details: { previous_tier: 'TIER_2K', tier: 'TIER_250' } });
    const number = await stack.call('GET', `/api/v1/phone-numbers/${tenant.sandbox.phone_number_id}`, tenant.api_key);
    expect(number.json).toMatchObject({ messaging_limit_tier: 'TIER_250', messaging_limit: { tier: 'TIER_250', limit: 250, remaining: 250 } });
    // Raising it back is not an alert.
    await control(stack, 'POST', `/_emulator/businesses/${tenant.sandbox.business_id}/messaging_limit`, { tier: 'TIER_10K' });
    await vi.waitFor(async () =>
      expect((await stack.call('GET', '/api/v1/limits', tenant.api_key)).json.data[0]).toMatchObject({ messaging_limit_tier: 'TIER_10K' }),
    );
    expect((await stack.call('GET', '/api/v1/alerts?kind=messaging_limit_lowered', tenant.api_key)).json.data).toHaveLength(1);
  });

  it('raises alerts when a template is paused and when it is recategorised', async () => {
    const hello = tenant.sandbox.templates.find((t) => t.name === 'hello_world')!;
    await control(stack, 'POST', `/_emulator/templates/${hello.id}/pause`);
    const paused = await alerted('template_paused');
    expect(paused).toMatchObject({ severity: 'WARNING', entity: { type: 'TEMPLATE', id: hello.id }, source: 'webhook' });
    expect(paused.title).toMatch(/hello_world/);

    const order = tenant.sandbox.templates.find((t) => t.name === 'order_confirmation')!;
    await control(stack, 'POST', `/_emulator/templates/${order.id}/review`, { status: 'APPROVED', category: 'MARKETING' });
    const recategorised = await alerted('template_recategorised');
    expect(recategorised).toMatchObject({ entity: { type: 'TEMPLATE', id: order.id } });
    expect(recategorised.title).toMatch(/MARKETING/);
  });

  it('raises alerts for account restrictions and Meta’s account alerts', async () => {
    metaSends('account_update', { event: 'DISABLED_UPDATE', ban_info: { waba_ban_state: 'SCHEDULE_FOR_DISABLE', waba_ban_date: '2025-10-01' } });
    const restricted = await alerted('account_restricted');
    expect(restricted).toMatchObject({ severity: 'CRITICAL', title: 'WABA scheduled to be disabled', entity: { type: 'WABA', id: tenant.sandbox.waba_id } });

    metaSends('account_alerts', {
      entity_type: 'BUSINESS',
      entity_id: tenant.sandbox.business_id,
      alert_info: {
        alert_severity: 'WARNING',
        alert_status: 'ACTIVE',
        alert_type: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
        alert_description: 'Your request for a higher messaging limit was deferred.',
      },
    });
    const account = await alerted('account_alert');
    expect(account).toMatchObject({
      severity: 'WARNING',
      title: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
      entity: { type: 'BUSINESS', id: tenant.sandbox.business_id },
    });
    // Meta sending the same change again (in a new envelope: a later `time`) raises nothing new.
    const [before] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from inbound_events`;
    stack.clock.advance(1_000);
    metaSends('account_alerts', {
      entity_type: 'BUSINESS',
      entity_id: tenant.sandbox.business_id,
      alert_info: {
        alert_severity: 'WARNING',
        alert_status: 'ACTIVE',
        alert_type: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
        alert_description: 'Your request for a higher messaging limit was deferred.',
      },
    });
    await vi.waitFor(async () => {
      const [row] = await stack.db.sql<{ n: number; pending: number }[]>`
        select count(*)::int as n, count(*) filter (where processed_at is null)::int as pending from inbound_events`;
      expect(row).toEqual({ n: before!.n + 1, pending: 0 });
    });
    expect((await stack.call('GET', '/api/v1/alerts?kind=account_alert', tenant.api_key)).json.data).toHaveLength(1);
  });

  it('acknowledges an alert once, for the tenant or the operator, and lists those nobody has acknowledged', async () => {
    const open = await stack.call('GET', '/api/v1/alerts?acknowledged=false', tenant.api_key);
    expect(open.status).toBe(200);
    const alert: Json = open.json.data[0];
    expect(alert).toMatchObject({ acknowledged_at: null, acknowledged_by: null });
    const [key] = (await stack.call('GET', '/api/v1/keys', tenant.api_key)).json.data as Array<{ id: string }>;

    // Another tenant's key answers as for an unknown id and changes nothing.
    const theirs = await stack.call('POST', `/api/v1/alerts/${alert.id}/acknowledge`, other.api_key);
    expect(theirs.json.error).toMatchObject({ code: 100, error_subcode: 33 });
    const acked = await stack.call('POST', `/api/v1/alerts/${alert.id}/acknowledge`, tenant.api_key);
    expect(acked.status).toBe(200);
    expect(acked.json).toEqual({ ...alert, acknowledged_at: new Date(stack.clock.now()).toISOString(), acknowledged_by: `key:${key!.id}` });

    // The first acknowledgement stands, whoever acknowledges again and whenever.
    stack.clock.advance(60_000);
    const again = await stack.call('POST', `/api/v1/alerts/${alert.id}/acknowledge?tenant_id=${tenant.tenant_id}`, stack.operatorKey);
    expect(again.json).toEqual(acked.json);

    const ids = async (query: string) => ((await stack.call('GET', `/api/v1/alerts${query}`, tenant.api_key)).json.data as Json[]).map((a) => a.id);
    expect(await ids('?acknowledged=false')).not.toContain(alert.id);
    expect(await ids('?acknowledged=true')).toEqual([alert.id]);
    expect((await stack.call('GET', '/api/v1/alerts?acknowledged=maybe', tenant.api_key)).json.error).toMatchObject({ code: 100 });
    expect((await stack.call('POST', '/api/v1/alerts/not-an-id/acknowledge', tenant.api_key)).json.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  /** Meta sends a management webhook the emulator has no control route for (through its own signed webhook sender). */
  function metaSends(field: string, value: unknown): void {
    stack.emulator.ctx.webhooks.emit({ wabaId: tenant.sandbox.waba_id, field, value });
  }
});
