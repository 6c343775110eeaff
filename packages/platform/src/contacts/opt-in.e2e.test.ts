/**
 * Opt-in at its boundaries, end to end (emulator + platform, frozen clock): a FALSE contact, STOP
 * (and 停止, 配信停止) then a marketing template, START, and Meta's own user_preferences webhook.
 * For each refusal, Switchboard answers synchronously with the code the emulator gives the same
 * send asynchronously (131050), and nothing is stored, queued, sent to Meta or charged.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startReceiver, type Receiver } from '../../test/receiver.js';
import { startStack, type Stack, type TenantWithNumber } from '../../test/stack.js';
import { control, localTemplate, metaOutbound, metaVerdict, platformStored, sendPath, toMeta, type Json } from '../policy/policy-test-support.js';

describe('opt-in end to end', () => {
  let stack: Stack;
  let tenant: TenantWithNumber;
  let receiver: Receiver;

  const template = (to: string, name: string, parameters?: string[]) => ({
    messaging_product: 'whatsapp',
    to,
    type: 'template',
    template: {
      name,
      language: { code: 'en_US' },
      ...(parameters ? { components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }] } : {}),
    },
  });
  const marketing = (to: string) => template(to, 'spring_sale');

  beforeAll(async () => {
    stack = await startStack();
    tenant = await stack.tenantWithNumber('Opt-in');
    receiver = await startReceiver();
    expect((await stack.call('PUT', '/api/v1/webhooks', tenant.api_key, { url: receiver.url, verify_token: 'tenant-verify' })).status).toBe(200);
    expect((await stack.call('POST', '/api/v1/templates:sync', tenant.api_key)).status).toBe(200);
    await control(stack, 'POST', '/_emulator/templates/reviewer', { delay_ms: 0 });
    const created = await stack.call('POST', `/v23.0/${tenant.sandbox.waba_id}/message_templates`, tenant.api_key, {
      name: 'spring_sale',
      language: 'en_US',
      category: 'MARKETING',
      components: [{ type: 'BODY', text: 'Spring sale: 20% off everything this week.' }],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    await localTemplate(stack, tenant, created.json.id, (t) => expect(t).toMatchObject({ status: 'APPROVED', category: 'MARKETING' }));
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  async function contact(waId: string): Promise<Json> {
    return (await stack.call('GET', `/api/v1/contacts/${waId}`, tenant.api_key)).json;
  }

  /** Refused synchronously with `code`, and nothing stored or sent. */
  async function refused(body: unknown, code: number): Promise<Json> {
    // Earlier sends are handed to Meta first, so that the counts below move only if this one does.
    await vi.waitFor(async () => {
      stack.clock.advance(100);
      expect((await platformStored(stack, tenant)).queued).toBe(0);
    });
    const stored = await platformStored(stack, tenant);
    const atMeta = metaOutbound(stack, tenant);
    const ours = await stack.call('POST', sendPath(tenant), tenant.api_key, body);
    expect(ours.status, JSON.stringify(ours.json)).toBe(400);
    expect(ours.json.error.code).toBe(code);
    stack.clock.advance(1_000);
    expect(await platformStored(stack, tenant)).toEqual(stored);
    expect(metaOutbound(stack, tenant)).toBe(atMeta);
    return ours.json.error;
  }

  /** What Meta (the emulator) does with the same send: accepts it (200) and fails it later. */
  async function metaAsync(body: unknown): Promise<{ code: number | undefined; details: string | undefined }> {
    const res = await toMeta(stack, tenant, 'POST', `${tenant.sandbox.phone_number_id}/messages`, body);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const wamid = res.json.messages[0].id as string;
    const code = await metaVerdict(stack, wamid);
    const message = await control(stack, 'GET', `/_emulator/messages/${wamid}`);
    return { code, details: message.error?.error_data?.details };
  }

  /** Meta's id of a message the platform accepted, once the dispatcher has handed it over. */
  async function metaWamidOf(wamid: string): Promise<string> {
    let meta: string | null | undefined;
    await vi.waitFor(async () => {
      stack.clock.advance(100);
      [{ meta } = { meta: undefined }] = await stack.db.sql<{ meta: string | null }[]>`select meta_wamid as meta from messages where wamid = ${wamid}`;
      expect(meta).toBeTruthy();
    });
    return meta!;
  }

  async function userSays(waId: string, text: string): Promise<void> {
    await control(stack, 'POST', `/_emulator/users/${waId}/messages`, { phone_number_id: tenant.sandbox.phone_number_id, type: 'text', text: { body: text } });
  }

  it('refuses a marketing template to a FALSE contact with 131050, as the emulator later would', async () => {
    const user = '15550130001';
    expect((await stack.call('PUT', `/api/v1/contacts/${user}`, tenant.api_key, { subscription: 'FALSE', proof: 'asked by phone' })).status).toBe(200);
    const ours = await refused(marketing(user), 131050);

    // Meta's side for the same user: stopped marketing from this number (WhatsApp's own opt-out).
    await control(stack, 'PATCH', `/_emulator/users/${user}`, { stoppedMarketing: [tenant.sandbox.phone_number_id] });
    const meta = await metaAsync(marketing(user));
    expect(meta.code).toBe(ours.code);
    expect(meta.details).toBe(ours.error_data.details);

    // FALSE is the marketing opt-out: a utility template still goes (and Meta delivers it).
    const utility = await stack.call('POST', sendPath(tenant), tenant.api_key, template(user, 'order_confirmation', ['Ada', 'SB-1']));
    expect(utility.status, JSON.stringify(utility.json)).toBe(200);
  });

  it('STOP, 停止 and 配信停止 set the contact FALSE with an audit row; a marketing template is then refused; START sets TRUE', async () => {
    const users = { STOP: '15550130011', 停止: '15550130012', 配信停止: '15550130013' };
    for (const [word, user] of Object.entries(users)) {
      // Before: the template is accepted (a new user is unset, which is not FALSE).
      expect((await stack.call('POST', sendPath(tenant), tenant.api_key, marketing(user))).status).toBe(200);
      await userSays(user, word);
      await vi.waitFor(async () => expect((await contact(user)).subscription).toBe('FALSE'));
      expect((await contact(user)).events[0]).toMatchObject({ from: null, to: 'FALSE', source: 'keyword', actor: `user:${user}`, proof: word });
      await refused(marketing(user), 131050);
    }
    // The keyword message itself still reaches the tenant as a message.
    await vi.waitFor(() => expect(receiver.changes().flatMap((c) => c.value.messages ?? []).map((m: Json) => m.text?.body)).toEqual(expect.arrayContaining(['STOP', '停止', '配信停止'])));

    await userSays(users.STOP, 'start');
    await vi.waitFor(async () => expect((await contact(users.STOP)).subscription).toBe('TRUE'));
    expect((await contact(users.STOP)).events.map((e: Json) => [e.from, e.to, e.source])).toEqual([
      ['FALSE', 'TRUE', 'keyword'],
      [null, 'FALSE', 'keyword'],
    ]);
    const again = await stack.call('POST', sendPath(tenant), tenant.api_key, marketing(users.STOP));
    expect(again.status).toBe(200);
    // Meta delivers it: the user resumed (nothing was ever stopped on Meta's side).
    expect(await metaVerdict(stack, await metaWamidOf(again.json.messages[0].id))).toBeUndefined();
  });

  it('sends the tenant’s confirmation inside the window the keyword opened', async () => {
    const set = await stack.call('PUT', '/api/v1/contact-keywords', tenant.api_key, {
      languages: [{ language: 'ja', opt_out: ['配信停止'], opt_in: ['配信開始'], opt_out_reply: '配信を停止しました。再開するには「配信開始」と送ってください。' }],
    });
    expect(set.status, JSON.stringify(set.json)).toBe(200);
    const user = '15550130021';
    await userSays(user, '配信停止');
    await vi.waitFor(async () => {
      stack.clock.advance(250);
      const inbox = await control(stack, 'GET', `/_emulator/users/${user}/messages`);
      expect(inbox.data.map((m: Json) => m.content?.body)).toContain('配信を停止しました。再開するには「配信開始」と送ってください。');
    });
    expect((await contact(user)).subscription).toBe('FALSE');
    // A keyword of the defaults no longer counts once the tenant has its own list.
    await userSays('15550130022', 'STOP');
    await vi.waitFor(async () => {
      const [row] = await stack.db.sql`select 1 from inbound_messages where sender = '15550130022'`;
      expect(row).toBeDefined();
    });
    expect((await stack.call('GET', '/api/v1/contacts/15550130022', tenant.api_key)).status).toBe(400);
    await stack.call('DELETE', '/api/v1/contact-keywords', tenant.api_key);
  });

  it("follows Meta's user_preferences webhook: stop sets FALSE, resume sets TRUE, source meta", async () => {
    const user = '15550130031';
    await control(stack, 'PATCH', `/_emulator/users/${user}`, { stoppedMarketing: [tenant.sandbox.phone_number_id] });
    await vi.waitFor(async () => expect((await contact(user)).subscription).toBe('FALSE'));
    expect((await contact(user)).events[0]).toMatchObject({ to: 'FALSE', source: 'meta', actor: 'meta', proof: 'User requested to stop marketing messages' });
    const ours = await refused(marketing(user), 131050);
    expect((await metaAsync(marketing(user))).code).toBe(ours.code);

    stack.clock.advance(2_000);
    await control(stack, 'PATCH', `/_emulator/users/${user}`, { stoppedMarketing: [] });
    await vi.waitFor(async () => expect((await contact(user)).subscription).toBe('TRUE'));
    expect((await stack.call('POST', sendPath(tenant), tenant.api_key, marketing(user))).status).toBe(200);
    // The tenant also receives Meta's own webhook.
    await vi.waitFor(() =>
      expect(receiver.changes().filter((c) => c.field === 'user_preferences' && c.value.user_preferences[0].wa_id === user).map((c) => c.value.user_preferences[0].value)).toEqual([
        'stop',
        'resume',
      ]),
    );
  });
});
