/**
 * Templates through the platform against the emulator: a create Meta would refuse is refused
 * without calling Meta; the local copy follows Meta's webhooks (status, rejection, quality,
 * category, pause), the periodic reconcile and the manual sync; and template sends are checked
 * against it at their boundaries — a PAUSED template, a parameter count off by one, a template
 * rejected, edited and approved — each refusal carrying the code Meta gives for the same request,
 * with nothing queued, sent or charged.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startReceiver, type Receiver } from '../../test/receiver.js';
import { startStack, type Stack, type TenantWithNumber } from '../../test/stack.js';
import {
  control,
  HOUR,
  localTemplate,
  metaOutbound,
  MINUTE,
  platformStored,
  sendPath,
  toMeta,
  type Json,
} from '../policy/policy-test-support.js';
import { RECONCILE_INTERVAL_MS } from './sync-templates.js';

const USER = '15550120001';

describe('templates', () => {
  let stack: Stack;
  let tenant: TenantWithNumber;
  let receiver: Receiver;

  beforeAll(async () => {
    stack = await startStack();
    tenant = await stack.tenantWithNumber('Templates');
    receiver = await startReceiver();
    // Template events go to the tenant's default URL (Meta's app callback).
    const hooked = await stack.call('PUT', '/api/v1/webhooks', tenant.api_key, { url: receiver.url, verify_token: 'tenant-verify' });
    expect(hooked.status, JSON.stringify(hooked.json)).toBe(200);
    const synced = await stack.call('POST', '/api/v1/templates:sync', tenant.api_key);
    expect(synced.status).toBe(200);
    expect(synced.json.data).toEqual([expect.objectContaining({ waba_id: tenant.sandbox.waba_id, templates: 2, added: 2, error: null })]);
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  const fixture = (name: string) => tenant.sandbox.templates.find((t) => t.name === name)!;
  const templateSend = (name: string, parameters?: string[]) => ({
    messaging_product: 'whatsapp',
    to: USER,
    type: 'template',
    template: {
      name,
      language: { code: 'en_US' },
      ...(parameters ? { components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }] } : {}),
    },
  });

  /**
   * The platform refuses synchronously with the code Meta gives for the same request (template
   * errors are synchronous at Meta too), and nothing is stored, queued or sent.
   */
  async function refusedLikeMeta(body: unknown, code: number): Promise<void> {
    // Earlier accepted sends reach Meta first, so that what follows counts only this request.
    await vi.waitFor(async () => {
      stack.clock.advance(100);
      expect((await platformStored(stack, tenant)).queued).toBe(0);
    });
    const stored = await platformStored(stack, tenant);
    const sentAtMeta = metaOutbound(stack, tenant);
    const ours = await stack.call('POST', sendPath(tenant), tenant.api_key, body);
    expect(ours.status, JSON.stringify(ours.json)).toBeGreaterThanOrEqual(400);
    expect(ours.json.error.code).toBe(code);
    stack.clock.advance(1_000);
    expect(await platformStored(stack, tenant)).toEqual(stored);
    expect(metaOutbound(stack, tenant)).toBe(sentAtMeta);
    const meta = await toMeta(stack, tenant, 'POST', `${tenant.sandbox.phone_number_id}/messages`, body);
    expect(meta.status).toBe(ours.status);
    expect(meta.json.error.code).toBe(ours.json.error.code);
    expect(meta.json.error.error_data?.details).toBe(ours.json.error.error_data?.details);
  }

  it('lists the local copy with status, category and quality', async () => {
    const list = await stack.call('GET', '/api/v1/templates', tenant.api_key);
    expect(list.status).toBe(200);
    expect(list.json.data.map((t: Json) => [t.name, t.status, t.category])).toEqual([
      ['hello_world', 'APPROVED', 'UTILITY'],
      ['order_confirmation', 'APPROVED', 'UTILITY'],
    ]);
    const other = await stack.tenantWithNumber('Other');
    const foreign = await stack.call('GET', `/api/v1/templates/${fixture('hello_world').id}`, other.api_key);
    const missing = await stack.call('GET', '/api/v1/templates/1234567890123456', other.api_key);
    expect(foreign.status).toBe(missing.status);
    expect(foreign.json.error.code).toBe(100);
    expect((await stack.call('GET', '/api/v1/templates', other.api_key)).json.data.every((t: Json) => t.waba_id === other.sandbox.waba_id)).toBe(true);
  });

  it('refuses a parameter count off by one with 132000, as Meta does, and accepts the right count', async () => {
    await refusedLikeMeta(templateSend('order_confirmation', ['Ada']), 132000);
    await refusedLikeMeta(templateSend('order_confirmation', ['Ada', 'SB-1', 'extra']), 132000);
    await refusedLikeMeta(templateSend('order_confirmation'), 132000);
    await refusedLikeMeta(templateSend('no_such_template'), 132001);
    await refusedLikeMeta({ ...templateSend('order_confirmation', ['Ada', 'SB-1']), template: { name: 'order_confirmation', language: { code: 'pt_BR' } } }, 132001);
    const ok = await stack.call('POST', sendPath(tenant), tenant.api_key, templateSend('order_confirmation', ['Ada', 'SB-1']));
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
  });

  it('refuses a template that is not allowed to be created without calling Meta', async () => {
    const before = (await control(stack, 'GET', `/_emulator/templates?waba_id=${tenant.sandbox.waba_id}`)).data.length;
    const bodies: unknown[] = [
      { name: 'Bad Name', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi' }] },
      { name: 'no_body', language: 'en_US', category: 'UTILITY', components: [{ type: 'FOOTER', text: 'only a footer' }] },
      { name: 'dangling', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}' }] },
      { name: 'wrong_language', language: 'xx_XX', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi' }] },
      { name: 'no_category', language: 'en_US', components: [{ type: 'BODY', text: 'Hi' }] },
    ];
    // A fault rule counts every create that reaches Meta (and would make it fail with a 503).
    const { rules: [rule] } = await control(stack, 'POST', '/_emulator/faults', { match: { method: 'POST', path: '/:id/message_templates' }, status: 503 });
    const answers = [];
    try {
      for (const body of bodies) {
        const ours = await stack.call('POST', `/v23.0/${tenant.sandbox.waba_id}/message_templates`, tenant.api_key, body);
        expect(ours.status, JSON.stringify(body)).toBe(400);
        expect(ours.json.error.code).toBe(100);
        answers.push(ours);
      }
      const faults = await control(stack, 'GET', '/_emulator/faults');
      expect(faults.rules.find((r: Json) => r.id === rule.id).matched).toBe(0);
    } finally {
      await control(stack, 'DELETE', '/_emulator/faults');
    }
    for (const [i, body] of bodies.entries()) {
      const ours = answers[i]!;
      const meta = await toMeta(stack, tenant, 'POST', `${tenant.sandbox.waba_id}/message_templates`, body);
      expect(meta.json.error.code, JSON.stringify(body)).toBe(ours.json.error.code);
      expect(meta.json.error.error_subcode).toBe(ours.json.error.error_subcode);
      expect(meta.json.error.error_user_title).toBe(ours.json.error.error_user_title);
    }
    expect((await control(stack, 'GET', `/_emulator/templates?waba_id=${tenant.sandbox.waba_id}`)).data.length).toBe(before);
    expect((await stack.call('GET', '/api/v1/templates?name=dangling', tenant.api_key)).json.data).toEqual([]);
  });

  it('refuses a PAUSED template with 132015, as Meta does, and sends it again once Meta unpauses it', async () => {
    const hello = fixture('hello_world');
    await control(stack, 'POST', `/_emulator/templates/${hello.id}/pause`);
    const paused = await localTemplate(stack, tenant, hello.id, (t) => expect(t.status).toBe('PAUSED'));
    expect(paused.pause_reason).toBe('FIRST_PAUSE');
    expect(Date.parse(paused.paused_until)).toBe(stack.clock.now() + 3 * HOUR);
    await refusedLikeMeta(templateSend('hello_world'), 132015);
    // The tenant heard of it in Meta's format.
    await vi.waitFor(() =>
      expect(receiver.changes()).toContainEqual(
        expect.objectContaining({ field: 'message_template_status_update', value: expect.objectContaining({ event: 'PAUSED', message_template_id: Number(hello.id) }) }),
      ),
    );

    stack.clock.advance(3 * HOUR);
    await localTemplate(stack, tenant, hello.id, (t) => {
      expect(t.status).toBe('APPROVED');
      expect(t.paused_until).toBeNull();
    });
    const sent = await stack.call('POST', sendPath(tenant), tenant.api_key, templateSend('hello_world'));
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
  });

  it('follows a template rejected, edited and approved, refusing sends until it is approved', async () => {
    await control(stack, 'POST', '/_emulator/templates/reviewer', { auto_review: false });
    try {
      const created = await stack.call('POST', `/v23.0/${tenant.sandbox.waba_id}/message_templates`, tenant.api_key, {
        name: 'parcel_update',
        language: 'en_US',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Your parcel {{1}} ships today.', example: { body_text: [['P-1']] } }],
      });
      expect(created.status, JSON.stringify(created.json)).toBe(200);
      expect(created.json.status).toBe('PENDING');
      const id = created.json.id as string;
      await localTemplate(stack, tenant, id, (t) => expect(t.status).toBe('PENDING'));
      await refusedLikeMeta(templateSend('parcel_update', ['P-1']), 132001);

      await control(stack, 'POST', `/_emulator/templates/${id}/review`, { status: 'REJECTED', reason: 'INVALID_FORMAT' });
      const rejected = await localTemplate(stack, tenant, id, (t) => expect(t.status).toBe('REJECTED'));
      expect(rejected.rejected_reason).toBe('INVALID_FORMAT');
      await refusedLikeMeta(templateSend('parcel_update', ['P-1']), 132001);

      // An edit Meta would refuse (the name can't change) is refused here and never reaches Meta.
      const renamed = await stack.call('POST', `/v23.0/${id}`, tenant.api_key, { name: 'other_name', components: [{ type: 'BODY', text: 'x' }] });
      expect(renamed.status).toBe(400);
      expect(renamed.json.error.error_user_title).toBe("Template can't be edited");

      const edited = await stack.call('POST', `/v23.0/${id}`, tenant.api_key, {
        components: [{ type: 'BODY', text: 'Your parcel {{1}} ships on {{2}} by courier.', example: { body_text: [['P-1', 'Monday']] } }],
      });
      expect(edited.status, JSON.stringify(edited.json)).toBe(200);
      const pending = await localTemplate(stack, tenant, id, (t) => expect(t.status).toBe('PENDING'));
      expect(pending.components[0].text).toBe('Your parcel {{1}} ships on {{2}} by courier.');
      await refusedLikeMeta(templateSend('parcel_update', ['P-1', 'Monday']), 132001);

      await control(stack, 'POST', `/_emulator/templates/${id}/review`, { status: 'APPROVED' });
      await localTemplate(stack, tenant, id, (t) => expect(t.status).toBe('APPROVED'));
      // The new definition is the one checked: the old parameter count is now off by one.
      await refusedLikeMeta(templateSend('parcel_update', ['P-1']), 132000);
      const sent = await stack.call('POST', sendPath(tenant), tenant.api_key, templateSend('parcel_update', ['P-1', 'Monday']));
      expect(sent.status, JSON.stringify(sent.json)).toBe(200);
      await vi.waitFor(() =>
        expect(receiver.changes().filter((c) => c.field === 'message_template_status_update' && c.value.message_template_id === Number(id)).map((c) => c.value.event)).toEqual([
          'REJECTED',
          'APPROVED',
        ]),
      );
    } finally {
      await control(stack, 'POST', '/_emulator/templates/reviewer', { auto_review: true, delay_ms: 5_000 });
    }
  });

  it('follows quality and category changes from the webhooks', async () => {
    const order = fixture('order_confirmation');
    await control(stack, 'POST', `/_emulator/templates/${order.id}/quality`, { score: 'YELLOW' });
    await localTemplate(stack, tenant, order.id, (t) => expect(t.quality_score).toBe('YELLOW'));

    await control(stack, 'POST', '/_emulator/templates/reviewer', { delay_ms: 0 });
    const created = await stack.call('POST', `/v23.0/${tenant.sandbox.waba_id}/message_templates`, tenant.api_key, {
      name: 'weekend_offer',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'A weekend offer for you, {{1}}, until Sunday.', example: { body_text: [['Ada']] } }],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    // Approved as MARKETING at once (Meta's recategorisation), and the copy says so.
    const t = await localTemplate(stack, tenant, created.json.id, (x) => expect(x.category).toBe('MARKETING'));
    expect(t.status).toBe('APPROVED');
    expect(t.previous_category).toBe('UTILITY');
    const check = await stack.call('POST', '/api/v1/messages:check', tenant.api_key, {
      phone_number_id: tenant.sandbox.phone_number_id,
      message: templateSend('weekend_offer', ['Ada']),
    });
    expect(check.json).toMatchObject({ accepted: true, category: 'marketing', pricing_type: 'regular', billable: true });
  });

  it('reconciles with Meta periodically: a template made elsewhere appears, one deleted elsewhere goes', async () => {
    await control(stack, 'POST', '/_emulator/templates/reviewer', { auto_review: false });
    try {
      // Created straight at Meta with the WABA's token: no webhook until it is reviewed.
      const direct = await toMeta(stack, tenant, 'POST', `${tenant.sandbox.waba_id}/message_templates`, {
        name: 'made_elsewhere',
        language: 'en_US',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Made in WhatsApp Manager.' }],
      });
      expect(direct.status).toBe(200);
      expect((await stack.call('GET', '/api/v1/templates?name=made_elsewhere', tenant.api_key)).json.data).toEqual([]);
      stack.clock.advance(RECONCILE_INTERVAL_MS + MINUTE);
      await vi.waitFor(async () => {
        const list = await stack.call('GET', '/api/v1/templates?name=made_elsewhere', tenant.api_key);
        expect(list.json.data).toEqual([expect.objectContaining({ id: direct.json.id, status: 'PENDING', read_at: expect.any(String) })]);
      });
    } finally {
      await control(stack, 'POST', '/_emulator/templates/reviewer', { auto_review: true, delay_ms: 5_000 });
    }
    const gone = await toMeta(stack, tenant, 'DELETE', `${tenant.sandbox.waba_id}/message_templates?name=made_elsewhere`);
    expect(gone.status).toBe(200);
    await vi.waitFor(async () => expect((await stack.call('GET', '/api/v1/templates?name=made_elsewhere', tenant.api_key)).json.data).toEqual([]));
  });

  it('picks up a template created elsewhere at the first send that names it', async () => {
    await control(stack, 'POST', '/_emulator/templates/reviewer', { delay_ms: 0 });
    const direct = await toMeta(stack, tenant, 'POST', `${tenant.sandbox.waba_id}/message_templates`, {
      name: 'first_send_finds_it',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Your appointment is confirmed.' }],
    });
    expect(direct.json.status).toBe('APPROVED');
    const sent = await stack.call('POST', sendPath(tenant), tenant.api_key, templateSend('first_send_finds_it'));
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    await control(stack, 'POST', '/_emulator/templates/reviewer', { delay_ms: 5_000 });
  });
});
