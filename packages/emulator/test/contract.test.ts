/**
 * The emulator's answers checked against Meta's own OpenAPI description (v23.0): each operation's
 * 200 response schema, compiled with ajv, must accept what the emulator returns. Where Meta's
 * schema and the emulator disagree on purpose, the disagreement is listed below with its reason
 * and asserted exactly, so a new one fails and a fixed one must be removed from the list.
 *
 * Meta's schemas are loose in places (no `required`, no `additionalProperties: false`), and two of
 * them describe a shape the live API does not have (business profile items wrapped in
 * `business_profile`, subscribed apps as flat `{id, name}`). For those, the shape documented in
 * /work/shared/reference/cloud-api.md is asserted as well.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFreshNumber, codeOnSim, startSandbox, TINY_PNG, userWrites, type Answer, type Json, type Sandbox } from './support/sandbox.js';
import { conformance, loadMetaOpenApi, META_OPENAPI_PATH, type MetaOpenApi } from './support/meta-openapi.js';

const openapi = loadMetaOpenApi();
const title = openapi
  ? "emulator responses conform to Meta's OpenAPI v23.0"
  : `emulator responses vs Meta's OpenAPI — SKIPPED: ${META_OPENAPI_PATH} not found (CI checks out shared/ beside the clone)`;
if (!openapi) console.warn(title);

/** Deliberate differences from Meta's OpenAPI: none at present. */
const DEVIATIONS = { mediaFileSize: [] as string[], freshNumber: [] as string[] };

describe.skipIf(!openapi)(title, () => {
  const meta = openapi as MetaOpenApi;
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => sandbox?.close());

  /** The answer is a 200 and Meta's schema for `method metaPath` accepts it, but for the deviations listed. */
  function expectConforms(method: string, metaPath: string, answer: Answer, deviations: string[] = []): void {
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const validate = meta.responseSchema(method, metaPath);
    if (!validate) throw new Error(`${method} ${metaPath}: Meta's OpenAPI has no response schema; assert cloud-api.md's shape instead`);
    expect(conformance(validate, answer.body).errors, `${method} ${metaPath} → ${JSON.stringify(answer.body)}`).toEqual(deviations);
  }

  it('has compiled schemas that do reject malformed answers', () => {
    const send = meta.responseSchema('POST', '/{Version}/{Phone-Number-ID}/messages');
    const register = meta.responseSchema('POST', '/{Version}/{Phone-Number-ID}/register');
    if (!send || !register) throw new Error('schemas missing');
    expect(conformance(send, { messages: [{ id: 42, message_status: 'lost' }] }).errors).toEqual([
      '/messages/0/id: must be string',
      '/messages/0/message_status: must be equal to one of the allowed values (accepted, held_for_quality_assessment, paused)',
    ]);
    expect(conformance(register, {}).errors).toEqual(["/: must have required property 'success'"]);
  });

  it('POST /{phone-number-id}/messages: text and template', async () => {
    const user = '15550108001';
    await userWrites(sandbox, user, 'open the window');
    const phone = sandbox.fixture.phone_number_id;
    const text = await sandbox.graph('POST', `/v23.0/${phone}/messages`, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: `+${user}`,
      type: 'text',
      text: { body: 'hello' },
    });
    expectConforms('POST', '/{Version}/{Phone-Number-ID}/messages', text);

    const template = await sandbox.graph('POST', `/v23.0/${phone}/messages`, {
      messaging_product: 'whatsapp',
      to: user,
      type: 'template',
      template: {
        name: 'order_confirmation',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }, { type: 'text', text: 'A-1042' }] }],
      },
    });
    expectConforms('POST', '/{Version}/{Phone-Number-ID}/messages', template);
    // message_status is in the schema's MessageStatus enum (template pacing: accepted | held_for_quality_assessment).
    expect(template.body.messages[0].message_status).toBe('accepted');
  });

  it('POST /{phone-number-id}/media and GET /{media-id}', async () => {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', 'image/png');
    form.set('file', new Blob([TINY_PNG], { type: 'image/png' }), 'dot.png');
    const response = await fetch(`${sandbox.url}/v23.0/${sandbox.fixture.phone_number_id}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.fixture.access_token}` },
      body: form,
    });
    const uploaded: Answer = { status: response.status, body: await response.json() };
    expectConforms('POST', '/{Version}/{Phone-Number-ID}/media', uploaded);

    const retrieved = await sandbox.graph('GET', `/v23.0/${uploaded.body.id}`);
    expectConforms('GET', '/{Version}/{Media-ID}', retrieved, DEVIATIONS.mediaFileSize);
    expect(retrieved.body).toMatchObject({ messaging_product: 'whatsapp', id: uploaded.body.id, mime_type: 'image/png', file_size: String(TINY_PNG.length) });
  });

  it('POST and GET /{waba-id}/message_templates', async () => {
    const created = await sandbox.graph('POST', `/v23.0/${sandbox.fixture.waba_id}/message_templates`, {
      name: 'contract_delivery_window',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Your delivery {{1}} arrives between {{2}} and 6 pm.', example: { body_text: [['D-9', '2 pm']] } }],
    });
    expectConforms('POST', '/{Version}/{WABA-ID}/message_templates', created);
    expect(created.body).toMatchObject({ status: 'PENDING', category: 'UTILITY' });

    const listed = await sandbox.graph('GET', `/v23.0/${sandbox.fixture.waba_id}/message_templates?limit=2`);
    expectConforms('GET', '/{Version}/{WABA-ID}/message_templates', listed);
    expect(listed.body.data).toHaveLength(2);
    expect(listed.body.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });
  });

  it('GET /{phone-number-id}: a registered number, and one just added', async () => {
    const registered = await sandbox.graph('GET', `/v23.0/${sandbox.fixture.phone_number_id}`);
    expectConforms('GET', '/{Version}/{Phone-Number-ID}', registered);
    expect(Object.keys(registered.body).sort()).toEqual(['code_verification_status', 'display_phone_number', 'id', 'quality_rating', 'verified_name']);

    const withStatus = await sandbox.graph('GET', `/v23.0/${sandbox.fixture.phone_number_id}?fields=name_status,verified_name`);
    expectConforms('GET', '/{Version}/{Phone-Number-ID}', withStatus);

    const fresh = await addFreshNumber(sandbox, '5550108002', 'Contract Corner');
    const added = await sandbox.graph('GET', `/v23.0/${fresh}`);
    expectConforms('GET', '/{Version}/{Phone-Number-ID}', added, DEVIATIONS.freshNumber);
  });

  it('POST /{phone-number-id}/request_code, /verify_code and /register', async () => {
    const phone = await addFreshNumber(sandbox, '5550108003', 'Contract Bakery');
    const requested = await sandbox.graph('POST', `/v23.0/${phone}/request_code`, { code_method: 'SMS', language: 'en_US' });
    expectConforms('POST', '/{Version}/{Phone-Number-ID}/request_code', requested);
    expect(requested.body).toEqual({ success: true });

    const code = await codeOnSim(sandbox, phone);
    const verified = await sandbox.graph('POST', `/v23.0/${phone}/verify_code`, { code });
    expectConforms('POST', '/{Version}/{Phone-Number-ID}/verify_code', verified);

    const registered = await sandbox.graph('POST', `/v23.0/${phone}/register`, { messaging_product: 'whatsapp', pin: '135790' });
    expectConforms('POST', '/{Version}/{Phone-Number-ID}/register', registered);
    expect(registered.body).toEqual({ success: true });

    // Once verified, the number's default fields are inside Meta's enums too (quality stays UNKNOWN until rated).
    const after = await sandbox.graph('GET', `/v23.0/${phone}?fields=code_verification_status`);
    expectConforms('GET', '/{Version}/{Phone-Number-ID}', after);
  });

  it('GET and POST /{phone-number-id}/whatsapp_business_profile', async () => {
    const phone = sandbox.fixture.phone_number_id;
    const updated = await sandbox.graph('POST', `/v23.0/${phone}/whatsapp_business_profile`, {
      messaging_product: 'whatsapp',
      about: 'Open 7–19 ☕',
      address: '1 Hacker Way',
      description: 'Coffee and pastries',
      email: 'hi@cafe.example',
      websites: ['https://cafe.example', 'https://cafe.example/menu'],
      vertical: 'RESTAURANT',
    });
    expectConforms('POST', '/{Version}/{Phone-Number-ID}/whatsapp_business_profile', updated);
    expect(updated.body).toEqual({ success: true });

    const read = await sandbox.graph('GET', `/v23.0/${phone}/whatsapp_business_profile?fields=about,address,description,email,websites,vertical`);
    expectConforms('GET', '/{Version}/{Phone-Number-ID}/whatsapp_business_profile', read);
    // Meta's schema nests each item as {business_profile: {...}}; the live API (cloud-api.md §1.5)
    // and the emulator put the fields in the item itself, so the item is checked as the profile.
    expect(read.body.data).toHaveLength(1);
    expect(conformance(meta.component('WhatsAppBusinessProfile'), read.body.data[0]).errors).toEqual([]);
    expect(read.body.data[0]).toEqual({
      messaging_product: 'whatsapp',
      about: 'Open 7–19 ☕',
      address: '1 Hacker Way',
      description: 'Coffee and pastries',
      email: 'hi@cafe.example',
      websites: ['https://cafe.example', 'https://cafe.example/menu'],
      vertical: 'RESTAURANT',
    });
  });

  it('POST and GET /{waba-id}/subscribed_apps', async () => {
    const subscribed = await sandbox.graph('POST', `/v23.0/${sandbox.fixture.waba_id}/subscribed_apps`);
    expectConforms('POST', '/{Version}/{WABA-ID}/subscribed_apps', subscribed);
    expect(subscribed.body).toEqual({ success: true });

    const listed = await sandbox.graph('GET', `/v23.0/${sandbox.fixture.waba_id}/subscribed_apps`);
    expectConforms('GET', '/{Version}/{WABA-ID}/subscribed_apps', listed);
    // Meta's SubscribedApp schema is a flat {id, name}; the live API (cloud-api.md §1.7) nests the
    // app in whatsapp_business_api_data, which is what the emulator answers.
    const apps: Json[] = listed.body.data;
    expect(apps).toEqual([{ whatsapp_business_api_data: { id: sandbox.fixture.app_id, link: expect.any(String), name: expect.any(String) } }]);
  });
});
