import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifySignature } from '@switchboard/wire';
import { startStack, type Stack, type TenantWithNumber } from '../../test/stack.js';
import { Receiver } from './test-harness.js';

let stack: Stack;
let tenant: TenantWithNumber;
let receiver: Receiver;

beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenantWithNumber('End to end');
  receiver = await new Receiver().start();
});
afterAll(async () => {
  await receiver.close();
  await stack.close();
});

describe('tenant webhooks through the whole platform', () => {
  it("delivers a user's message from Meta to the tenant's URL, signed with the tenant secret", async () => {
    const { waba_id: wabaId, phone_number_id: phoneNumberId } = tenant.sandbox;
    const subscribed = await stack.call('POST', `/v23.0/${wabaId}/subscribed_apps`, tenant.api_key, {
      override_callback_uri: receiver.url,
      verify_token: receiver.verifyToken,
    });
    expect(subscribed).toEqual({ status: 200, json: { success: true } });

    const sent = await fetch(`${stack.emulatorUrl}/_emulator/users/16505551234/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone_number_id: phoneNumberId, type: 'text', text: { body: 'Olá, 停止?' } }),
    });
    expect(sent.status).toBe(200);

    await vi.waitFor(() => expect(receiver.changes().filter((c) => c.field === 'messages')).toHaveLength(1), { timeout: 20_000, interval: 50 });
    const post = receiver.posts[0]!;
    expect(verifySignature(post.raw, String(post.headers['x-hub-signature-256']), tenant.webhook_secret)).toBe(true);
    expect(post.raw).toContain('Ol\\u00e1');
    const change = receiver.changes()[0]!;
    expect(change.wabaId).toBe(wabaId);
    expect(change.value.metadata.phone_number_id).toBe(phoneNumberId);
    expect(change.value.messages[0].text.body).toBe('Olá, 停止?');

    // The delivery is recorded once the receiver has answered, so just after it has the POST.
    await vi.waitFor(async () => {
      const listed = await stack.call('GET', '/api/v1/webhook-events?state=delivered', tenant.api_key);
      expect(listed.json.data.map((e: { id: string }) => e.id)).toContain(change.eventId);
    });
  });
});
