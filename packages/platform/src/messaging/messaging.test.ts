/**
 * The gateway end to end: tenants send through the Cloud-API-compatible surface, the dispatcher
 * hands messages to the emulator, Meta's webhooks come back, and the tenant's receiver gets
 * statuses and replies in Meta's format with the platform's ids.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifySignature } from '@switchboard/wire';
import { startReceiver, type Receiver } from '../../test/receiver.js';
import { startStack, type Stack, type TenantWithNumber } from '../../test/stack.js';

const USER = '15550101234';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON answers of the control API
async function emulator(stack: Stack, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${stack.emulatorUrl}${path}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return response.json();
}

/** Moves the shared clock in steps so queued work, statuses and deliveries all happen. */
async function advance(stack: Stack, ms: number, step = 500): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    stack.clock.advance(step);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('messaging gateway', () => {
  let stack: Stack;
  let tenant: TenantWithNumber;
  let receiver: Receiver;

  beforeAll(async () => {
    stack = await startStack();
    tenant = await stack.tenantWithNumber('Acme');
    receiver = await startReceiver();
    const subscribed = await stack.call('POST', `/v23.0/${tenant.sandbox.waba_id}/subscribed_apps`, tenant.api_key, {
      override_callback_uri: receiver.url,
      verify_token: 'tenant-verify',
    });
    expect(subscribed.status).toBe(200);
  });

  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  /** The fixtures' order_confirmation template to `user`. */
  function sendOrder(user: string, order: string, extra: Record<string, unknown> = {}) {
    return stack.call('POST', `/v23.0/${tenant.sandbox.phone_number_id}/messages`, tenant.api_key, {
      messaging_product: 'whatsapp',
      to: user,
      type: 'template',
      template: {
        name: 'order_confirmation',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }, { type: 'text', text: order }] }],
      },
      ...extra,
    });
  }

  /**
   * Runs `body` with the order template's own time to live (message_send_ttl_seconds, as Meta's
   * template edit sets it, on the synced copy) and a fault on Meta's sends; both are undone after.
   */
  async function withOrderTtl(seconds: number, fault: Record<string, unknown>, body: (rule: { id: string }) => Promise<void>): Promise<void> {
    expect((await stack.call('POST', '/api/v1/templates:sync', tenant.api_key)).status).toBe(200);
    await stack.db.sql`update templates set message_send_ttl_seconds = ${seconds} where name = 'order_confirmation' and waba_id = ${tenant.sandbox.waba_id}`;
    const { rules: [rule] } = await emulator(stack, 'POST', '/_emulator/faults', { match: { method: 'POST', path: '/:id/messages' }, ...fault });
    try {
      await body(rule);
    } finally {
      await emulator(stack, 'DELETE', '/_emulator/faults');
      await stack.db.sql`update templates set message_send_ttl_seconds = null where name = 'order_confirmation' and waba_id = ${tenant.sandbox.waba_id}`;
    }
  }

  it('sends a template, reports statuses with its own id, and forwards the reply', async () => {
    const sent = await sendOrder(`+${USER}`, 'SB-1');
    expect(sent.status).toBe(200);
    expect(sent.json.contacts).toEqual([{ input: `+${USER}`, wa_id: USER }]);
    const wamid = sent.json.messages[0].id as string;
    expect(wamid).toMatch(/^wamid\./);

    await vi.waitFor(async () => {
      stack.clock.advance(250);
      const inbox = await emulator(stack, 'GET', `/_emulator/users/${USER}/messages`);
      expect(inbox.data).toHaveLength(1);
    });
    const received = (await emulator(stack, 'GET', `/_emulator/users/${USER}/messages`)).data[0];
    expect(received.id).not.toBe(wamid);

    await advance(stack, 3_000);
    await vi.waitFor(() => {
      const statuses = receiver.changes().flatMap((c) => c.value.statuses ?? []);
      // Each once, in the order Meta's webhooks arrived: Meta (the emulator: up to four POSTs in
      // flight) does not promise to send them in order, and the tenant gets them as they came.
      expect(statuses.map((s: { status: string }) => s.status).sort()).toEqual(['delivered', 'read', 'sent']);
      expect(statuses.every((s: { id: string }) => s.id === wamid)).toBe(true);
    });
    // The message itself only moves forward, whatever the order.
    expect((await stack.db.sql<{ status: string }[]>`select status from messages where wamid = ${wamid}`)[0]!.status).toBe('read');

    // The user answers with a quote of our message: the tenant sees its own id in context.
    await emulator(stack, 'POST', `/_emulator/users/${USER}/messages`, {
      phone_number_id: tenant.sandbox.phone_number_id,
      type: 'text',
      text: { body: 'Thanks, 配信停止 not needed 😀' },
      context: { message_id: received.id },
    });
    await vi.waitFor(() => {
      const inbound = receiver.changes().flatMap((c) => c.value.messages ?? []);
      expect(inbound).toHaveLength(1);
      expect(inbound[0].context.id).toBe(wamid);
      expect(inbound[0].text.body).toBe('Thanks, 配信停止 not needed 😀');
    });
    for (const post of receiver.received) {
      expect(verifySignature(post.raw, post.headers['x-hub-signature-256'] as string, tenant.webhook_secret)).toBe(true);
    }
  });

  it('answers a retry with the same Idempotency-Key as the first time and sends once', async () => {
    const body = { messaging_product: 'whatsapp', to: USER, type: 'text', text: { body: 'once only' } };
    const post = () =>
      fetch(`${stack.platformUrl}/${tenant.sandbox.phone_number_id}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.api_key}`, 'content-type': 'application/json', 'idempotency-key': 'k-1' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ messages: Array<{ id: string }> }>);
    const [a, b] = await Promise.all([post(), post()]);
    expect(a.messages, JSON.stringify(a)).toBeDefined();
    const c = await post();
    expect(a.messages[0]!.id).toBe(b.messages[0]!.id);
    expect(c.messages[0]!.id).toBe(a.messages[0]!.id);
    const [row] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from messages where idempotency_key = 'k-1'`;
    const n = row!.n;
    expect(n).toBe(1);
    const different = await fetch(`${stack.platformUrl}/${tenant.sandbox.phone_number_id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.api_key}`, 'content-type': 'application/json', 'idempotency-key': 'k-1' },
      body: JSON.stringify({ ...body, text: { body: 'something else' } }),
    });
    expect(different.status).toBe(422);
    expect(((await different.json()) as { error: { code: number } }).error.code).toBe(100);
  });

  it('fails a message whose time to live passes while Meta keeps failing, with a failed status (131026), and stops trying', async () => {
    const user = '15550109999';
    await withOrderTtl(60, { status: 503 }, async (rule) => {
      const sent = await sendOrder(user, 'SB-2', { biz_opaque_callback_data: 'otp-42' });
      expect(sent.status).toBe(200);
      const wamid = sent.json.messages[0].id as string;
      const status = async () => (await stack.db.sql<{ status: string; error: { code: number } | null }[]>`select status, error from messages where wamid = ${wamid}`)[0];
      // Retried with backoff while Meta answers 503; then its minute is over.
      await vi.waitFor(
        async () => {
          stack.clock.advance(1_000);
          expect(await status()).toMatchObject({ status: 'failed', error: { code: 131026 } });
        },
        { timeout: 30_000, interval: 10 },
      );
      expect(await (await fetch(`${stack.platformUrl}/metrics`)).text()).toMatch(/^switchboard_messages_failed_total\{code="131026"\} 1$/m);
      const attempts = (await emulator(stack, 'GET', '/_emulator/faults')).rules.find((r: { id: string }) => r.id === rule.id).matched as number;
      expect(attempts).toBeGreaterThan(1);
      const [counted] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from message_attempts a join messages m on m.id = a.message_id where m.wamid = ${wamid}`;
      expect(counted!.n).toBe(attempts);
      await vi.waitFor(() => {
        const failed = receiver.changes().flatMap((c) => c.value.statuses ?? []).filter((s: { id: string }) => s.id === wamid);
        expect(failed).toEqual([expect.objectContaining({ status: 'failed', recipient_id: user, biz_opaque_callback_data: 'otp-42', errors: [expect.objectContaining({ code: 131026 })] })]);
      });
      await emulator(stack, 'DELETE', '/_emulator/faults');
      await advance(stack, 20_000, 1_000);
      expect((await emulator(stack, 'GET', `/_emulator/users/${user}/messages`)).data).toEqual([]);
      expect((await stack.db.sql`select 1 from send_queue q join messages m on m.id = q.message_id where m.wamid = ${wamid}`).length).toBe(0);
    });
  });

  it('fails a message when its time to live passes, not at its next retry after a long backoff', async () => {
    const user = '15550107777';
    await withOrderTtl(60, { status: 503 }, async () => {
      const acceptedAt = stack.clock.now();
      const sent = await sendOrder(user, 'SB-4');
      const wamid = sent.json.messages[0].id as string;
      await vi.waitFor(async () => {
        const [row] = await stack.db.sql<{ n: number }[]>`
          select count(*)::int as n from message_attempts a join messages m on m.id = a.message_id where m.wamid = ${wamid}`;
        expect(row!.n).toBe(1);
      });
      // Its next try is half an hour away (as after many failures or throttling): the minute ends first.
      const retryAt = new Date(acceptedAt + 30 * 60_000);
      await stack.db.sql`update send_queue q set available_at = ${retryAt} from messages m where m.id = q.message_id and m.wamid = ${wamid}`;
      await vi.waitFor(
        async () => {
          stack.clock.advance(1_000);
          const [row] = await stack.db.sql<{ status: string; error: { code: number } | null }[]>`select status, error from messages where wamid = ${wamid}`;
          expect(row).toMatchObject({ status: 'failed', error: { code: 131026 } });
        },
        { timeout: 30_000, interval: 10 },
      );
      expect(stack.clock.now() - acceptedAt).toBeLessThan(75_000);
    });
  });

  it('still sends an expired message whose earlier attempt had an unknown outcome: Meta may have it', async () => {
    const user = '15550108888';
    // The first send hangs until the platform gives up (its real 5 s timeout): an unknown outcome.
    await withOrderTtl(1, { timeout: true, timeout_ms: 10_000, burst: 1 }, async () => {
      const sent = await sendOrder(user, 'SB-3');
      expect(sent.status).toBe(200);
      const wamid = sent.json.messages[0].id as string;
      await vi.waitFor(
        async () => {
          const [row] = await stack.db.sql<{ n: number }[]>`
            select count(*)::int as n from message_attempts a join messages m on m.id = a.message_id where m.wamid = ${wamid} and a.outcome = 'unknown'`;
          expect(row!.n).toBe(1);
        },
        { timeout: 15_000, interval: 50 },
      );
      // Past its time to live and the grace for Meta's status, it is sent again, not failed.
      await vi.waitFor(
        async () => {
          stack.clock.advance(5_000);
          expect((await emulator(stack, 'GET', `/_emulator/users/${user}/messages`)).data.length).toBeGreaterThan(0);
        },
        { timeout: 30_000, interval: 20 },
      );
      const [row] = await stack.db.sql<{ status: string }[]>`select status from messages where wamid = ${wamid}`;
      expect(row!.status).not.toBe('failed');
    });
  });

  it('exposes Prometheus metrics for what it accepted, dispatched and queued', async () => {
    const text = await (await fetch(`${stack.platformUrl}/metrics`)).text();
    expect(text).toMatch(/^# TYPE switchboard_messages_accepted_total counter$/m);
    expect(Number(/^switchboard_messages_accepted_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(2);
    expect(Number(/^switchboard_messages_dispatched_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^# TYPE switchboard_queue_depth gauge$/m);
    expect(text).toMatch(/^# TYPE switchboard_tenant_webhook_lag_seconds gauge$/m);
  });

  it("refuses another tenant's number exactly like one that does not exist", async () => {
    const other = await stack.tenantWithNumber('Other');
    const body = { messaging_product: 'whatsapp', to: USER, type: 'text', text: { body: 'hi' } };
    const foreign = await stack.call('POST', `/v23.0/${tenant.sandbox.phone_number_id}/messages`, other.api_key, body);
    const missing = await stack.call('POST', `/v23.0/1234567890123/messages`, other.api_key, body);
    expect(foreign.status).toBe(missing.status);
    expect(foreign.json.error.code).toBe(100);
    expect(foreign.json.error.error_subcode).toBe(33);
    expect(foreign.json.error.message).toBe(missing.json.error.message.replace('1234567890123', tenant.sandbox.phone_number_id));
    const noKey = await stack.call('POST', `/v23.0/${tenant.sandbox.phone_number_id}/messages`, 'sb_nope', body);
    expect(noKey.status).toBe(401);
    expect(noKey.json.error.code).toBe(190);
  });

  it("answers bad input in Meta's shape and stores nothing", async () => {
    const before = (await stack.db.sql<{ before: number }[]>`select count(*)::int as before from messages`)[0]!.before;
    const cases: unknown[] = [
      {},
      { messaging_product: 'whatsapp' },
      { messaging_product: 'whatsapp', to: USER, type: 'text' },
      { messaging_product: 'whatsapp', to: USER, type: 'text', text: { body: 'x'.repeat(4097) } },
      { messaging_product: 'whatsapp', to: USER, type: 'warp' },
      { messaging_product: 'whatsapp', to: 'not a number', type: 'text', text: { body: 'x' } },
      [1, 2, 3],
    ];
    for (const body of cases) {
      const res = await stack.call('POST', `/${tenant.sandbox.phone_number_id}/messages`, tenant.api_key, body);
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
      expect(res.json.error.code, JSON.stringify(body)).toBeTypeOf('number');
      expect(res.json.error.fbtrace_id).toBeTypeOf('string');
    }
    const after = (await stack.db.sql<{ after: number }[]>`select count(*)::int as after from messages`)[0]!.after;
    expect(after).toBe(before);
  });
});
