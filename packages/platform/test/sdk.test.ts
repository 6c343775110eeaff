/**
 * Third-party WhatsApp SDKs, unchanged, pointed at the platform: base URL = the platform, token =
 * the tenant's API key. A tenant that used them against graph.facebook.com moves by changing those
 * two settings. Covered:
 * - @kapso/whatsapp-cloud-api (`baseUrl`): text and template sends, media upload, metadata and
 *   download through the platform's download URL;
 * - @great-detail/whatsapp (`prefixUrl`): text and template sends, media upload and URL, and the
 *   tenant's webhook registration with Meta's own call (`POST /{waba-id}/subscribed_apps`);
 * - the webhook verifiers of whatsapp-api-js, @kapso/whatsapp-cloud-api and @great-detail/whatsapp
 *   over the platform's tenant webhooks, signed with the tenant's webhook secret.
 * whatsapp-api-js and whatsapp-business cannot be given a base URL (their Graph host is hard-coded),
 * so only whatsapp-api-js's host-independent webhook parts are used.
 */
import GreatDetail, { MessageType } from '@great-detail/whatsapp';
import { WhatsAppClient } from '@kapso/whatsapp-cloud-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { changeValues, messagesSeenByWhatsappApiJs, startSdkReceiver, verifyWithEverySdk, type SdkReceiver } from './sdk/sdk-webhooks.js';
import { startStack, type Stack, type TenantWithNumber } from './stack.js';

const VERIFY_TOKEN = 'tenant-sdk-verify-token';
/** Non-ASCII on purpose: the tenant webhook must be signed over the bytes sent, \u-escaped like Meta's. */
const INBOUND_TEXT = 'héllo 😀 停止';
/** 1×1 PNG. */
const TINY_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489' + '0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082',
  'hex',
);

interface Status {
  id: string;
  status: string;
  recipient_id: string;
}

let stack: Stack;
let tenant: TenantWithNumber;
let receiver: SdkReceiver;
let kapso: WhatsAppClient;
let greatDetail: GreatDetail;

/** A simulated WhatsApp user writes to the tenant's number (this opens the 24 h service window). */
async function userWrites(waId: string, body: string, phoneNumberId = tenant.sandbox.phone_number_id): Promise<void> {
  const response = await fetch(`${stack.emulatorUrl}/_emulator/users/${waId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone_number_id: phoneNumberId, type: 'text', text: { body } }),
  });
  expect(response.status).toBe(200);
  // A tenant answers what the platform has received: wait for it (free-form replies are refused outside the window).
  await vi.waitFor(async () => {
    const [window] = await stack.db.sql`select 1 from conversations where phone_number_id = ${phoneNumberId} and wa_id = ${waId}`;
    expect(window).toBeDefined();
  });
}

/** Moves the shared frozen clock until the condition holds (sends, statuses and webhooks follow it). */
async function advanceUntil(check: () => void | Promise<void>): Promise<void> {
  await vi.waitFor(
    async () => {
      stack.clock.advance(500);
      await check();
    },
    { timeout: 20_000, interval: 50 },
  );
}

function statusesOf(wamid: string): string[] {
  return changeValues(receiver.posts, 'messages')
    .flatMap((v) => (v.statuses as Status[] | undefined) ?? [])
    .filter((s) => s.id === wamid)
    .map((s) => s.status);
}

beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenantWithNumber('SDK Bakery');
  receiver = await startSdkReceiver(VERIFY_TOKEN);
  kapso = new WhatsAppClient({ baseUrl: stack.platformUrl, graphVersion: 'v23.0', accessToken: tenant.api_key });
  greatDetail = new GreatDetail({
    prefixUrl: stack.platformUrl,
    graphVersion: 'v23.0',
    // ky retries some failures after real-time delays; a compatibility failure should show at once.
    request: { headers: { Authorization: `Bearer ${tenant.api_key}` }, retry: 0 },
  });
});

afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

describe('SDKs pointed at the platform with a tenant API key', () => {
  it("registers the tenant's webhook with Meta's subscribed_apps call (@great-detail/whatsapp)", async () => {
    const subscribed = await greatDetail.subscribedApps
      .createSubscription({ businessAccountID: tenant.sandbox.waba_id, override_callback_uri: receiver.url, verify_token: VERIFY_TOKEN })
      .json();
    expect(subscribed).toEqual({ success: true });
    // The platform ran the handshake; whatsapp-api-js's middleware checked the verify token.
    expect(receiver.handshakes).toEqual([200]);
    const listed = await greatDetail.subscribedApps.listSubscriptions({ businessAccountID: tenant.sandbox.waba_id }).json();
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]).toMatchObject({ override_callback_uri: receiver.url });
  });

  it('sends a text in the service window and a template (@kapso/whatsapp-cloud-api)', async () => {
    const user = '15550109001';
    await userWrites(user, 'are you open today?');
    const phoneNumberId = tenant.sandbox.phone_number_id;

    const text = await kapso.messages.sendText({ phoneNumberId, to: `+${user}`, body: 'Yes, until 8 pm 🥐' });
    expect(text.contacts).toEqual([{ input: `+${user}`, waId: user }]);
    const textId = text.messages[0]?.id ?? '';
    expect(textId).toMatch(/^wamid\./);

    const template = await kapso.messages.sendTemplate({
      phoneNumberId,
      to: user,
      template: {
        name: 'order_confirmation',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }, { type: 'text', text: 'SB-7' }] }],
      },
    });
    const templateId = template.messages[0]?.id ?? '';
    expect(template.messages[0]?.messageStatus).toBe('accepted');

    // Both reach the user, and the tenant hears about them under the ids the SDK was given.
    await advanceUntil(() => {
      expect(statusesOf(textId)).toContain('delivered');
      expect(statusesOf(templateId)).toContain('delivered');
    });
    const inbox = (await (await fetch(`${stack.emulatorUrl}/_emulator/users/${user}/messages`)).json()) as { data: Array<{ type: string }> };
    expect(inbox.data.map((m) => m.type)).toEqual(['text', 'template']);
  });

  it('sends a text in the service window and a template (@great-detail/whatsapp)', async () => {
    const user = '15550109002';
    await userWrites(user, 'hello?');
    const phoneNumberID = tenant.sandbox.phone_number_id;

    const text = await greatDetail.message.createMessage({ phoneNumberID, to: user, type: MessageType.Text, text: { body: 'Hi! How can we help?' } }).json();
    expect(text.contacts).toEqual([{ input: user, wa_id: user }]);
    const template = await greatDetail.message
      .createMessage({ phoneNumberID, to: user, type: MessageType.Template, template: { name: 'hello_world', language: { code: 'en_US' }, components: [] } })
      .json();
    const ids = [text.messages[0]?.id ?? '', template.messages[0]?.id ?? ''];
    await advanceUntil(() => {
      for (const id of ids) expect(statusesOf(id)).toContain('delivered');
    });
  });

  it('uploads media, reads it and downloads the same bytes (@kapso/whatsapp-cloud-api)', async () => {
    const phoneNumberId = tenant.sandbox.phone_number_id;
    const uploaded = await kapso.media.upload({ phoneNumberId, type: 'image/png', file: new Blob([TINY_PNG], { type: 'image/png' }), fileName: 'dot.png' });
    expect(uploaded.id).toMatch(/^\d+$/);

    const meta = await kapso.media.get({ mediaId: uploaded.id });
    expect(meta).toMatchObject({ id: uploaded.id, mimeType: 'image/png' });
    // The URL is the platform's, so the tenant downloads with its API key, never a Meta token.
    expect(meta.url.startsWith(stack.platformUrl)).toBe(true);
    const bytes = await kapso.media.download({ mediaId: uploaded.id, auth: 'always' });
    expect(Buffer.from(bytes as ArrayBuffer).equals(TINY_PNG)).toBe(true);
  });

  it('uploads media and gets its URL (@great-detail/whatsapp)', async () => {
    const phoneNumberID = tenant.sandbox.phone_number_id;
    const uploaded = await greatDetail.media.upload({ phoneNumberID, file: new Blob([TINY_PNG], { type: 'image/png' }), filename: 'dot.png', mimeType: 'image/png' }).json();
    const info = await greatDetail.media.getURL({ mediaID: uploaded.id }).json();
    expect(info).toMatchObject({ id: uploaded.id, mime_type: 'image/png' });
    expect(Number(info.file_size)).toBe(TINY_PNG.length);
  });
});

describe("the SDKs' webhook verifiers against the platform's tenant webhooks", () => {
  // whatsapp-api-js's post() reads only entry[0].changes[0] of a POST, and the platform batches a
  // tenant's pending events into one POST (a late `read` status can ride with a new message). A
  // tenant with no other traffic gets the inbound message alone, so what that SDK parses is certain.
  let quiet: TenantWithNumber;
  let quietReceiver: SdkReceiver;

  beforeAll(async () => {
    quiet = await stack.tenantWithNumber('Quiet Tenant');
    quietReceiver = await startSdkReceiver(VERIFY_TOKEN);
    const quietSdk = new GreatDetail({ prefixUrl: stack.platformUrl, request: { headers: { Authorization: `Bearer ${quiet.api_key}` }, retry: 0 } });
    await quietSdk.subscribedApps.createSubscription({ businessAccountID: quiet.sandbox.waba_id, override_callback_uri: quietReceiver.url, verify_token: VERIFY_TOKEN }).json();
  });
  afterAll(async () => quietReceiver?.close());

  it('accept an inbound message with non-ASCII text, signed with the tenant webhook secret', async () => {
    const user = '15550109003';
    await userWrites(user, INBOUND_TEXT, quiet.sandbox.phone_number_id);
    await advanceUntil(() => expect(quietReceiver.posts.length).toBeGreaterThan(0));
    const post = quietReceiver.posts[0]!;
    expect(changeValues([post], 'messages')).toHaveLength(1);

    const raw = post.raw.toString('utf8');
    expect(raw).toMatch(/^[\x20-\x7e]*$/);
    expect(raw).toContain('h\\u00e9llo \\ud83d\\ude00 \\u505c\\u6b62');

    expect(await verifyWithEverySdk(post.raw, post.headers, quiet.webhook_secret)).toEqual({
      'whatsapp-api-js': true,
      '@kapso/whatsapp-cloud-api': true,
      '@great-detail/whatsapp': true,
    });
    expect(await messagesSeenByWhatsappApiJs(post.raw, post.headers, quiet.webhook_secret)).toEqual([{ from: user, phoneID: quiet.sandbox.phone_number_id, text: INBOUND_TEXT }]);

    // Signed with this tenant's secret: not Meta's app secret (which tenants never see), not another tenant's.
    const refused = { 'whatsapp-api-js': false, '@kapso/whatsapp-cloud-api': false, '@great-detail/whatsapp': false };
    expect(await verifyWithEverySdk(post.raw, post.headers, stack.app.secret)).toEqual(refused);
    expect(await verifyWithEverySdk(post.raw, post.headers, tenant.webhook_secret)).toEqual(refused);
    expect(await verifyWithEverySdk(Buffer.from(raw.replace('\\u00e9', '\\u00e8')), post.headers, quiet.webhook_secret)).toEqual(refused);
  });

  it('accept every tenant webhook delivered in this file, statuses included', async () => {
    expect(receiver.posts.length).toBeGreaterThan(1);
    for (const post of receiver.posts) {
      expect(await verifyWithEverySdk(post.raw, post.headers, tenant.webhook_secret), post.raw.toString('utf8').slice(0, 200)).toEqual({
        'whatsapp-api-js': true,
        '@kapso/whatsapp-cloud-api': true,
        '@great-detail/whatsapp': true,
      });
    }
  });
});
