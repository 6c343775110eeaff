/**
 * Tenant isolation on the Cloud-API-compatible surface: for every call, tenant B using tenant A's
 * number, WABA, template or media id gets exactly what it gets for an id that does not exist
 * (Meta's 100 with subcode 33), and nothing of A's changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack, type TenantWithNumber } from '../../test/stack.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('tenant isolation on the Cloud API surface', () => {
  let stack: Stack;
  let a: TenantWithNumber;
  let b: TenantWithNumber;
  let mediaId: string;
  let templateId: string;

  beforeAll(async () => {
    stack = await startStack();
    a = await stack.tenantWithNumber('A');
    b = await stack.tenantWithNumber('B');
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('file', new Blob([PNG], { type: 'image/png' }), 'dot.png');
    const upload = await fetch(`${stack.platformUrl}/v23.0/${a.sandbox.phone_number_id}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.api_key}` },
      body: form,
    });
    expect(upload.status).toBe(200);
    mediaId = ((await upload.json()) as { id: string }).id;
    const templates = await stack.call('GET', `/v23.0/${a.sandbox.waba_id}/message_templates`, a.api_key);
    expect(templates.status).toBe(200);
    templateId = templates.json.data[0].id;
  });
  afterAll(async () => {
    await stack.close();
  });

  const UNKNOWN = '1234567890123456';

  function calls(): Array<{ name: string; method: string; path: (id: { phone: string; waba: string; media: string; template: string }) => string; body?: unknown }> {
    return [
      { name: 'send', method: 'POST', path: (x) => `/v23.0/${x.phone}/messages`, body: { messaging_product: 'whatsapp', to: '15550301000', type: 'text', text: { body: 'x' } } },
      { name: 'number', method: 'GET', path: (x) => `/v23.0/${x.phone}` },
      { name: 'number settings', method: 'POST', path: (x) => `/v23.0/${x.phone}`, body: { pin: '123456' } },
      { name: 'profile', method: 'GET', path: (x) => `/v23.0/${x.phone}/whatsapp_business_profile` },
      { name: 'profile update', method: 'POST', path: (x) => `/v23.0/${x.phone}/whatsapp_business_profile`, body: { messaging_product: 'whatsapp', about: 'hijacked' } },
      { name: 'register', method: 'POST', path: (x) => `/v23.0/${x.phone}/register`, body: { messaging_product: 'whatsapp', pin: '123456' } },
      { name: 'deregister', method: 'POST', path: (x) => `/v23.0/${x.phone}/deregister`, body: {} },
      { name: 'request code', method: 'POST', path: (x) => `/v23.0/${x.phone}/request_code`, body: { code_method: 'SMS', language: 'en_US' } },
      { name: 'WABA', method: 'GET', path: (x) => `/v23.0/${x.waba}` },
      { name: 'WABA numbers', method: 'GET', path: (x) => `/v23.0/${x.waba}/phone_numbers` },
      { name: 'templates', method: 'GET', path: (x) => `/v23.0/${x.waba}/message_templates` },
      { name: 'template create', method: 'POST', path: (x) => `/v23.0/${x.waba}/message_templates`, body: { name: 'stolen', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'hi' }] } },
      { name: 'template delete', method: 'DELETE', path: (x) => `/v23.0/${x.waba}/message_templates?name=hello_world` },
      { name: 'subscribed apps', method: 'GET', path: (x) => `/v23.0/${x.waba}/subscribed_apps` },
      { name: 'template', method: 'GET', path: (x) => `/v23.0/${x.template}` },
      { name: 'template edit', method: 'POST', path: (x) => `/v23.0/${x.template}`, body: { components: [{ type: 'BODY', text: 'changed' }] } },
      { name: 'media', method: 'GET', path: (x) => `/v23.0/${x.media}` },
      { name: 'media download', method: 'GET', path: (x) => `/media-download/${x.media}` },
      { name: 'media delete', method: 'DELETE', path: (x) => `/v23.0/${x.media}` },
    ];
  }

  it("answers B's calls on A's assets exactly as on ids that do not exist", async () => {
    const own = { phone: a.sandbox.phone_number_id, waba: a.sandbox.waba_id, media: mediaId, template: templateId };
    const none = { phone: UNKNOWN, waba: UNKNOWN, media: UNKNOWN, template: UNKNOWN };
    for (const call of calls()) {
      const foreign = await stack.call(call.method, call.path(own), b.api_key, call.body);
      const missing = await stack.call(call.method, call.path(none), b.api_key, call.body);
      expect(foreign.status, call.name).toBe(missing.status);
      expect(foreign.status, call.name).toBeGreaterThanOrEqual(400);
      expect(foreign.status, call.name).toBeLessThan(500);
      const strip = (r: { json: { error?: { message?: string; fbtrace_id?: string } } }) => ({
        ...r.json.error,
        fbtrace_id: undefined,
        message: r.json.error?.message?.replaceAll(UNKNOWN, 'ID').replaceAll(Object.values(own).find((id) => r.json.error?.message?.includes(id)) ?? '\0', 'ID'),
      });
      expect(strip(foreign), call.name).toEqual(strip(missing));
    }
  });

  it("left A's assets as they were", async () => {
    const profile = await stack.call('GET', `/v23.0/${a.sandbox.phone_number_id}/whatsapp_business_profile`, a.api_key);
    expect(JSON.stringify(profile.json)).not.toContain('hijacked');
    const templates = await stack.call('GET', `/v23.0/${a.sandbox.waba_id}/message_templates`, a.api_key);
    expect(templates.json.data.map((t: { name: string }) => t.name)).toContain('hello_world');
    expect(templates.json.data.map((t: { name: string }) => t.name)).not.toContain('stolen');
    const media = await stack.call('GET', `/v23.0/${mediaId}`, a.api_key);
    expect(media.status).toBe(200);
    expect(media.json.url).toContain(`${stack.platformUrl}/media-download/${mediaId}`);
    const download = await fetch(media.json.url, { headers: { authorization: `Bearer ${a.api_key}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
    const [sent] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from messages where tenant_id = ${b.tenant_id}`;
    expect(sent!.n).toBe(0);
  });
});
