/**
 * Third-party WhatsApp SDKs, unchanged, pointed at the emulator by base URL: what works against
 * graph.facebook.com must work here. Which SDK covers what:
 * - @kapso/whatsapp-cloud-api (`baseUrl`, `graphVersion`): text and template sends, media upload,
 *   metadata and download, template create and list, request_code / verify_code / register,
 *   business profile get and update; its `verifySignature` for webhooks.
 * - @great-detail/whatsapp (`prefixUrl`, `graphVersion`): text and template sends, media upload
 *   and URL, template create and list, business profile get and update, phone number read,
 *   subscribed_apps list; its webhook `eventNotification(...).checkSignature`.
 * - whatsapp-api-js: every Graph URL is hard-coded to https://graph.facebook.com (only a fetch
 *   ponyfill could redirect it), so it is used where no host is involved: its node:http middleware
 *   answers Meta's handshake and its verifier and `post()` parse the signed webhooks.
 * - whatsapp-business is not used: its axios base URL is fixed to https://graph.facebook.com/v17.0
 *   inside the client, with no option to change it (and v17.0 is not a version the emulator serves).
 */
import GreatDetail, { MessageType } from '@great-detail/whatsapp';
import { WhatsAppClient } from '@kapso/whatsapp-cloud-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addFreshNumber, codeOnSim, startSandbox, TINY_PNG, userWrites, type Sandbox } from './support/sandbox.js';
import { changeValues, startSdkReceiver, type SdkReceiver } from './support/sdk-receiver.js';
import { messagesSeenByWhatsappApiJs, verifyWithEverySdk } from './support/sdk-verifiers.js';

const VERIFY_TOKEN = 'sdk-compat-verify-token';
/** Non-ASCII on purpose: Meta signs the \u-escaped form, and verifiers differ in what they hash. */
const INBOUND_TEXT = 'héllo 😀 停止';
/** Template review delay on the emulator's clock (5 s by default), plus a margin. */
const REVIEW_MS = 6_000;

let sandbox: Sandbox;
let receiver: SdkReceiver;
let kapso: WhatsAppClient;
let greatDetail: GreatDetail;

beforeAll(async () => {
  receiver = await startSdkReceiver(VERIFY_TOKEN);
  sandbox = await startSandbox({ callback_url: receiver.url, verify_token: VERIFY_TOKEN });
  kapso = new WhatsAppClient({ baseUrl: sandbox.url, graphVersion: 'v23.0', accessToken: sandbox.fixture.access_token });
  greatDetail = new GreatDetail({
    prefixUrl: sandbox.url,
    graphVersion: 'v23.0',
    // ky retries some failures after real-time delays; a compatibility failure should show at once.
    request: { headers: { Authorization: `Bearer ${sandbox.fixture.access_token}` }, retry: 0 },
  });
});

afterAll(async () => {
  await sandbox?.close();
  await receiver?.close();
});

describe('@kapso/whatsapp-cloud-api against the emulator', () => {
  it('sends a text inside the service window and a template', async () => {
    const user = '15550107001';
    await userWrites(sandbox, user, 'hi, any news?');
    const phoneNumberId = sandbox.fixture.phone_number_id;

    const text = await kapso.messages.sendText({ phoneNumberId, to: `+${user}`, body: 'Your order ships tomorrow 📦' });
    expect(text.messagingProduct).toBe('whatsapp');
    expect(text.contacts).toEqual([{ input: `+${user}`, waId: user }]);
    expect(text.messages[0]?.id).toMatch(/^wamid\./);

    const template = await kapso.messages.sendTemplate({
      phoneNumberId,
      to: user,
      template: {
        name: 'order_confirmation',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }, { type: 'text', text: 'A-1042' }] }],
      },
    });
    expect(template.messages[0]?.id).toMatch(/^wamid\./);

    // Delivery to the simulated phone takes time on the emulator's clock.
    await vi.waitFor(async () => {
      sandbox.clock.advance(500);
      const inbox = await sandbox.control('GET', `/_emulator/users/${user}/messages`);
      expect(inbox.data.map((m: { type: string }) => m.type)).toEqual(['text', 'template']);
    });
  });

  it('uploads media, reads its metadata and downloads the same bytes', async () => {
    const phoneNumberId = sandbox.fixture.phone_number_id;
    const uploaded = await kapso.media.upload({
      phoneNumberId,
      type: 'image/png',
      file: new Blob([TINY_PNG], { type: 'image/png' }),
      fileName: 'dot.png',
    });
    expect(uploaded.id).toMatch(/^\d+$/);

    const meta = await kapso.media.get({ mediaId: uploaded.id, phoneNumberId });
    expect(meta).toMatchObject({ id: uploaded.id, mimeType: 'image/png', messagingProduct: 'whatsapp' });
    expect(Number(meta.fileSize)).toBe(TINY_PNG.length);
    expect(meta.url.startsWith(sandbox.url)).toBe(true);

    // Meta's media URLs need the bearer token, so the SDK is told to send it ('auto' only does for Kapso's host).
    const bytes = await kapso.media.download({ mediaId: uploaded.id, auth: 'always' });
    expect(Buffer.from(bytes as ArrayBuffer).equals(TINY_PNG)).toBe(true);
  });

  it('creates a template and lists it, pending and then approved', async () => {
    const created = await kapso.templates.create({
      businessAccountId: sandbox.fixture.waba_id,
      name: 'kapso_shipping_update',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Your parcel {{1}} leaves our warehouse today.', example: { body_text: [['P-77']] } }],
    });
    expect(created).toMatchObject({ status: 'PENDING', category: 'UTILITY' });

    const pending = await kapso.templates.list({ businessAccountId: sandbox.fixture.waba_id, name: 'kapso_shipping_update' });
    expect(pending.data.map((t) => [t.id, t.status])).toEqual([[created.id, 'PENDING']]);

    sandbox.clock.advance(REVIEW_MS);
    const all = await kapso.templates.list({ businessAccountId: sandbox.fixture.waba_id, limit: 100 });
    const byName = new Map(all.data.map((t) => [t.name, t.status]));
    expect(byName.get('kapso_shipping_update')).toBe('APPROVED');
    expect(byName.get('hello_world')).toBe('APPROVED');
    expect(byName.get('order_confirmation')).toBe('APPROVED');
  });

  it('verifies ownership of a new number with the code from its SIM and registers it', async () => {
    const phoneNumberId = await addFreshNumber(sandbox, '5550107002');

    expect(await kapso.phoneNumbers.requestCode({ phoneNumberId, codeMethod: 'SMS', language: 'en_US' })).toEqual({ success: true });
    const code = await codeOnSim(sandbox, phoneNumberId);
    expect(await kapso.phoneNumbers.verifyCode({ phoneNumberId, code })).toEqual({ success: true });
    expect(await kapso.phoneNumbers.register({ phoneNumberId, pin: '246810' })).toEqual({ success: true });

    const number = await greatDetail.phoneNumbers
      .getPhoneNumber({ phoneNumberID: phoneNumberId, fields: ['code_verification_status', 'status', 'platform_type'] })
      .json();
    expect(number).toMatchObject({ code_verification_status: 'VERIFIED', status: 'CONNECTED', platform_type: 'CLOUD_API' });
  });

  it('updates the business profile and reads it back', async () => {
    const phoneNumberId = sandbox.fixture.phone_number_id;
    const updated = await kapso.phoneNumbers.businessProfile.update({
      phoneNumberId,
      about: 'Fresh bread daily — ¡hasta pronto!',
      address: '1 Hacker Way, Menlo Park',
      email: 'hello@bakery.example',
      websites: ['https://bakery.example'],
      vertical: 'RETAIL',
    });
    expect(updated).toEqual({ success: true });

    const profile = await kapso.phoneNumbers.businessProfile.get({ phoneNumberId, fields: 'about,address,email,websites,vertical' });
    expect(profile.data[0]).toMatchObject({
      about: 'Fresh bread daily — ¡hasta pronto!',
      address: '1 Hacker Way, Menlo Park',
      email: 'hello@bakery.example',
      websites: ['https://bakery.example'],
      vertical: 'RETAIL',
    });
  });
});

describe('@great-detail/whatsapp against the emulator', () => {
  it('sends a text inside the service window and a template', async () => {
    const user = '15550107003';
    await userWrites(sandbox, user, 'hello?');
    const phoneNumberID = sandbox.fixture.phone_number_id;

    const text = await greatDetail.message.createMessage({ phoneNumberID, to: user, type: MessageType.Text, text: { body: 'Yes, we are open until 8 pm.' } }).json();
    expect(text.contacts).toEqual([{ input: user, wa_id: user }]);
    expect(text.messages[0]?.id).toMatch(/^wamid\./);

    const template = await greatDetail.message.createMessage({ phoneNumberID, to: user, type: MessageType.Template, template: { name: 'hello_world', language: { code: 'en_US' }, components: [] } }).json();
    expect(template.messages[0]?.id).toMatch(/^wamid\./);
  });

  it('uploads media and gets its URL', async () => {
    const phoneNumberID = sandbox.fixture.phone_number_id;
    const uploaded = await greatDetail.media.upload({ phoneNumberID, file: new Blob([TINY_PNG], { type: 'image/png' }), filename: 'dot.png', mimeType: 'image/png' }).json();
    expect(uploaded.id).toMatch(/^\d+$/);
    const info = await greatDetail.media.getURL({ mediaID: uploaded.id, phoneNumberID }).json();
    expect(info).toMatchObject({ id: uploaded.id, mime_type: 'image/png', messaging_product: 'whatsapp' });
    expect(Number(info.file_size)).toBe(TINY_PNG.length);
  });

  it('creates a template and lists it', async () => {
    const wabaId = sandbox.fixture.waba_id;
    const created = await greatDetail.template
      .create(wabaId, {
        name: 'great_detail_table_ready',
        language: 'en_US',
        category: 'UTILITY',
        parameter_format: 'POSITIONAL',
        // The SDK types body_text as string[]; Meta (and so the emulator) wants one row of samples: string[][].
        components: [{ type: 'BODY' as const, text: 'Hi {{1}}, your table for {{2}} is ready.', example: { body_text: [['Sam', 'four']] as unknown as string[] } }],
      })
      .json();
    expect(created).toMatchObject({ status: 'PENDING', category: 'UTILITY' });
    sandbox.clock.advance(REVIEW_MS);
    const listed = await greatDetail.template.list(wabaId, { status: 'APPROVED', limit: 100 }).json();
    expect(listed.data.map((t) => t.name)).toContain('great_detail_table_ready');
    expect(listed.data.every((t) => t.status === 'APPROVED')).toBe(true);
  });

  it('reads and updates the business profile', async () => {
    const phoneNumberID = sandbox.fixture.phone_number_id;
    const updated = await greatDetail.businessProfile.updateBusinessProfile({ phoneNumberID, description: 'Sourdough, rye and 停止-free pastries', vertical: 'RESTAURANT' }).json();
    expect(updated).toEqual({ success: true });
    const profile = await greatDetail.businessProfile.getBusinessProfile({ phoneNumberID, fields: ['description', 'vertical'] }).json();
    expect(profile.data[0]).toMatchObject({ description: 'Sourdough, rye and 停止-free pastries', vertical: 'RESTAURANT' });
  });

  it("reads the number and the WABA's subscribed apps", async () => {
    const number = await greatDetail.phoneNumbers.getPhoneNumber({ phoneNumberID: sandbox.fixture.phone_number_id }).json();
    expect(number).toMatchObject({ id: sandbox.fixture.phone_number_id, display_phone_number: sandbox.fixture.display_phone_number, quality_rating: 'GREEN' });
    const apps = await greatDetail.subscribedApps.listSubscriptions({ businessAccountID: sandbox.fixture.waba_id }).json();
    expect(apps.data.map((a) => a.whatsapp_business_api_data.id)).toEqual([sandbox.fixture.app_id]);
  });
});

describe("the SDKs' webhook verifiers against the emulator's signed webhooks", () => {
  it('accept an inbound message with non-ASCII text signed with the app secret', async () => {
    // The fixture subscribed the app to the receiver: whatsapp-api-js's handshake handler said yes.
    expect(receiver.handshakes).toEqual([200]);
    const user = '15550107004';
    await userWrites(sandbox, user, INBOUND_TEXT);
    await vi.waitFor(() => {
      const texts = changeValues(receiver.posts, 'messages').flatMap((v) => (v.messages as Array<{ from: string; text?: { body: string } }> | undefined) ?? []);
      expect(texts.filter((m) => m.from === user).map((m) => m.text?.body)).toEqual([INBOUND_TEXT]);
    });
    const post = receiver.posts.find((p) => p.raw.toString('utf8').includes(`"from":"${user}"`));
    if (!post) throw new Error('the inbound webhook did not arrive');

    // Meta's wire form: ASCII only, the text \u-escaped (lowercase hex, UTF-16 units).
    const raw = post.raw.toString('utf8');
    expect(raw).toMatch(/^[\x20-\x7e]*$/);
    expect(raw).toContain('h\\u00e9llo \\ud83d\\ude00 \\u505c\\u6b62');

    const secret = sandbox.fixture.app_secret;
    expect(await verifyWithEverySdk(post.raw, post.headers, secret)).toEqual({
      'whatsapp-api-js': true,
      '@kapso/whatsapp-cloud-api': true,
      '@great-detail/whatsapp': true,
    });
    expect(await messagesSeenByWhatsappApiJs(post.raw, post.headers, secret)).toEqual([
      { from: user, phoneID: sandbox.fixture.phone_number_id, text: INBOUND_TEXT },
    ]);

    // And they are not rubber stamps: another secret, or a body changed by one character, fails.
    const refused = { 'whatsapp-api-js': false, '@kapso/whatsapp-cloud-api': false, '@great-detail/whatsapp': false };
    expect(await verifyWithEverySdk(post.raw, post.headers, 'not-the-app-secret')).toEqual(refused);
    const tampered = Buffer.from(raw.replace('\\u00e9', '\\u00e8'));
    expect(await verifyWithEverySdk(tampered, post.headers, secret)).toEqual(refused);
  });

  it('accept every webhook delivered so far, statuses included', async () => {
    const user = '15550107005';
    await userWrites(sandbox, user, 'ping');
    await kapso.messages.sendText({ phoneNumberId: sandbox.fixture.phone_number_id, to: user, body: 'pong ✓' });
    await vi.waitFor(() => {
      sandbox.clock.advance(1_000);
      const statuses = changeValues(receiver.posts, 'messages').flatMap((v) => (v.statuses as Array<{ recipient_id: string; status: string }> | undefined) ?? []);
      expect(statuses.filter((s) => s.recipient_id === user).map((s) => s.status)).toContain('delivered');
    });
    for (const post of receiver.posts) {
      const verdicts = await verifyWithEverySdk(post.raw, post.headers, sandbox.fixture.app_secret);
      expect(verdicts, post.raw.toString('utf8').slice(0, 200)).toEqual({
        'whatsapp-api-js': true,
        '@kapso/whatsapp-cloud-api': true,
        '@great-detail/whatsapp': true,
      });
    }
  });
});
