/**
 * The customer-service window at its boundary, on the shared virtual clock: 23:59 after the
 * user's last message a free-form message is accepted (and Meta sends it); 24:01 after, the
 * platform answers 131047 at once — the code Meta gives asynchronously for the same request — and
 * nothing is queued, sent or charged. A tenant that lets Meta decide gets Meta's failed status.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startReceiver, type Receiver } from '../../test/receiver.js';
import { startStack, type Stack, type TenantWithNumber } from '../../test/stack.js';
import { HOUR, MINUTE, metaOutbound, metaVerdict, platformStored, sendPath, toMeta, userWrites } from './policy-test-support.js';

describe('the 24 h customer-service window', () => {
  let stack: Stack;
  let tenant: TenantWithNumber;
  let receiver: Receiver;

  beforeAll(async () => {
    stack = await startStack();
    tenant = await stack.tenantWithNumber('Window');
    receiver = await startReceiver();
    const hooked = await stack.call('PUT', '/api/v1/webhooks', tenant.api_key, { url: receiver.url, verify_token: 'window-verify' });
    expect(hooked.status).toBe(200);
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  const text = (to: string, body: string) => ({ messaging_product: 'whatsapp', to, type: 'text', text: { body } });

  it('accepts a free-form message 23:59 after the last inbound and refuses it with 131047 at 24:01, as Meta does', async () => {
    const user = '15550110001';
    await userWrites(stack, tenant, user);

    stack.clock.advance(23 * HOUR + 59 * MINUTE);
    const inside = await stack.call('POST', sendPath(tenant), tenant.api_key, text(user, 'still inside'));
    expect(inside.status, JSON.stringify(inside.json)).toBe(200);
    // Meta agrees: the same request sent straight to it is sent, not failed.
    const metaInside = await toMeta(stack, tenant, 'POST', `${tenant.sandbox.phone_number_id}/messages`, text(user, 'still inside'));
    expect(metaInside.status).toBe(200);
    expect(await metaVerdict(stack, metaInside.json.messages[0].id)).toBeUndefined();
    // Let the platform's accepted message reach Meta before counting what the refusal leaves.
    await vi.waitFor(async () => expect((await platformStored(stack, tenant)).queued).toBe(0));

    stack.clock.advance(2 * MINUTE);
    const storedBefore = await platformStored(stack, tenant);
    const metaBefore = metaOutbound(stack, tenant);
    const outside = await stack.call('POST', sendPath(tenant), tenant.api_key, text(user, 'too late'));
    expect(outside.status).toBe(400);
    expect(outside.json.error.code).toBe(131047);
    expect(outside.json.error.error_data.details).toMatch(/more than 24 hours/);
    // Nothing stored, queued, sent or charged.
    stack.clock.advance(1_000);
    expect(await platformStored(stack, tenant)).toEqual(storedBefore);
    expect(metaOutbound(stack, tenant)).toBe(metaBefore);

    // Meta, asked directly, accepts (200) and then fails the message with the same code.
    const metaOutside = await toMeta(stack, tenant, 'POST', `${tenant.sandbox.phone_number_id}/messages`, text(user, 'too late'));
    expect(metaOutside.status).toBe(200);
    expect(await metaVerdict(stack, metaOutside.json.messages[0].id)).toBe(outside.json.error.code);
    // …in a failed status webhook, which reached the platform (unmatched: it was not the platform's message).
    await vi.waitFor(
      async () => {
        stack.clock.advance(100);
        const rows = await stack.db.sql<{ status: unknown }[]>`
          select status from pending_statuses where meta_wamid = ${metaOutside.json.messages[0].id}`;
        // (Read leniently: the gateway stores these rows as JSON text inside jsonb.)
        const statuses = rows.map((r) => (typeof r.status === 'string' ? JSON.parse(r.status) : r.status) as { status: string; errors?: Array<{ code: number }> });
        const failed = statuses.find((x) => x.status === 'failed');
        expect(failed?.errors?.[0]?.code).toBe(131047);
      },
      { timeout: 10_000, interval: 100 },
    );
  });

  it('lets Meta decide when the tenant chose so: queued, sent, and failed by Meta with 131047', async () => {
    const user = '15550110002';
    await userWrites(stack, tenant, user);
    stack.clock.advance(24 * HOUR + MINUTE);
    const set = await stack.call('PUT', '/api/v1/policy', tenant.api_key, { window_enforcement: 'meta' });
    expect(set.status).toBe(200);
    expect(set.json.window_enforcement).toBe('meta');
    try {
      const sent = await stack.call('POST', sendPath(tenant), tenant.api_key, text(user, 'Meta decides'));
      expect(sent.status).toBe(200);
      const wamid = sent.json.messages[0].id as string;
      await vi.waitFor(
        async () => {
          stack.clock.advance(200);
          const message = await stack.call('GET', `/api/v1/messages/${wamid}`, tenant.api_key);
          expect(message.json.status).toBe('failed');
          // The tenant hears it as Meta says it: a failed status with 131047.
          const failed = receiver.changes().flatMap((c) => c.value.statuses ?? []).find((x: { id: string; status: string }) => x.id === wamid && x.status === 'failed');
          expect(failed?.errors?.[0]?.code).toBe(131047);
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      await stack.call('PUT', '/api/v1/policy', tenant.api_key, { window_enforcement: 'platform' });
    }
  });

  it('never lets a template fail on the window: outside it, a template is accepted and sent', async () => {
    const user = '15550110003';
    await userWrites(stack, tenant, user);
    stack.clock.advance(25 * HOUR);
    const sent = await stack.call('POST', sendPath(tenant), tenant.api_key, {
      messaging_product: 'whatsapp',
      to: user,
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    });
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
  });
});
