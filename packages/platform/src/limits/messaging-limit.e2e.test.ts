/**
 * The portfolio messaging limit end to end (emulator + platform, frozen clock): Meta lowers the
 * portfolio to TIER_250 (business_capability_update), 250 unique users get a template, the 251st
 * is refused synchronously with 131048 — the code the emulator gives the same send asynchronously
 * — with nothing stored or sent; users already reached and users inside their window still pass;
 * 24 h later the slots are free. A tenant that chose 'hold' gets the 251st accepted, held, and sent
 * once a slot frees, unless its time to live passes first: then it is dropped with a `failed` status
 * (131048) and never reaches Meta. /api/v1/limits and /api/v1/phone-numbers show the usage.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack, type TenantWithNumber } from '../../test/stack.js';
import { control, HOUR, metaOutbound, metaVerdict, platformStored, sendPath, toMeta, userWrites, type Json } from '../policy/policy-test-support.js';

const user = (portfolio: number, i: number) => `1555${portfolio}${String(i).padStart(6, '0')}`;
const hello = (to: string) => ({ messaging_product: 'whatsapp', to, type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });

describe('portfolio messaging limit end to end', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.close());

  /** A tenant whose portfolio Meta has just lowered to TIER_250, with the platform's copy of its templates. */
  async function tier250Tenant(name: string): Promise<TenantWithNumber> {
    const tenant = await stack.tenantWithNumber(name);
    expect((await stack.call('POST', '/api/v1/templates:sync', tenant.api_key)).status).toBe(200);
    await control(stack, 'POST', `/_emulator/businesses/${tenant.sandbox.business_id}/messaging_limit`, { tier: 'TIER_250' });
    await vi.waitFor(async () => {
      const limits = await stack.call('GET', '/api/v1/limits', tenant.api_key);
      expect(limits.json.data).toEqual([expect.objectContaining({ portfolio_id: tenant.sandbox.business_id, messaging_limit_tier: 'TIER_250', limit: 250 })]);
    });
    return tenant;
  }

  async function send(tenant: TenantWithNumber, to: string) {
    return stack.call('POST', sendPath(tenant), tenant.api_key, hello(to));
  }

  /** Sends to `count` new users, 25 at a time, and lets the dispatcher hand them all to Meta. */
  async function reach(tenant: TenantWithNumber, portfolio: number, count: number): Promise<void> {
    for (let i = 0; i < count; i += 25) {
      const answers = await Promise.all(Array.from({ length: Math.min(25, count - i) }, (_, j) => send(tenant, user(portfolio, i + j))));
      for (const a of answers) expect(a.status, JSON.stringify(a.json)).toBe(200);
    }
    await vi.waitFor(
      async () => {
        stack.clock.advance(1_000);
        expect(await platformStored(stack, tenant)).toMatchObject({ queued: 0 });
      },
      { timeout: 30_000 },
    );
  }

  async function metaAsync(tenant: TenantWithNumber, to: string): Promise<{ code: number | undefined; details: string | undefined }> {
    const res = await toMeta(stack, tenant, 'POST', `${tenant.sandbox.phone_number_id}/messages`, hello(to));
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const code = await metaVerdict(stack, res.json.messages[0].id);
    const message: Json = await control(stack, 'GET', `/_emulator/messages/${res.json.messages[0].id}`);
    return { code, details: message.error?.error_data?.details };
  }

  it('passes the 250th unique user, refuses the 251st with 131048 as the emulator later would, and frees slots 24 h later', async () => {
    const tenant = await tier250Tenant('Limited');
    await reach(tenant, 1, 250);
    const limits = await stack.call('GET', '/api/v1/limits', tenant.api_key);
    expect(limits.json.data[0]).toMatchObject({ unique_users_24h: 250, remaining: 0, held_messages: 0, next_capacity_at: expect.any(String) });
    const number = await stack.call('GET', `/api/v1/phone-numbers/${tenant.sandbox.phone_number_id}`, tenant.api_key);
    expect(number.json).toMatchObject({
      messaging_limit_tier: 'TIER_250',
      messaging_limit: { portfolio_id: tenant.sandbox.business_id, tier: 'TIER_250', limit: 250, unique_users_24h: 250, remaining: 0 },
    });
    // Meta counted the same 250.
    expect((await control(stack, 'GET', `/_emulator/limits/${tenant.sandbox.business_id}`)).uniqueUsers24h).toBe(250);

    const stored = await platformStored(stack, tenant);
    const atMeta = metaOutbound(stack, tenant);
    const ours = await send(tenant, user(1, 250));
    expect(ours.status).toBe(400);
    expect(ours.json.error.code).toBe(131048);
    stack.clock.advance(1_000);
    expect(await platformStored(stack, tenant)).toEqual(stored);
    expect(metaOutbound(stack, tenant)).toBe(atMeta);
    // Meta, sent the same message directly: accepted, then failed with the same code and words, and not charged.
    const meta = await metaAsync(tenant, user(1, 250));
    expect(meta.code).toBe(ours.json.error.code);
    expect(meta.details).toBe(ours.json.error.error_data.details);

    // A user reached already counts no more; a user inside their window never counts.
    expect((await send(tenant, user(1, 17))).status).toBe(200);
    await userWrites(stack, tenant, user(1, 900));
    expect((await send(tenant, user(1, 900))).status).toBe(200);
    expect((await stack.call('GET', '/api/v1/limits', tenant.api_key)).json.data[0].unique_users_24h).toBe(250);

    stack.clock.advance(24 * HOUR);
    const later = await send(tenant, user(1, 250));
    expect(later.status, JSON.stringify(later.json)).toBe(200);
    await vi.waitFor(async () => {
      stack.clock.advance(500);
      const [row] = await stack.db.sql<{ meta: string | null }[]>`select meta_wamid as meta from messages where wamid = ${later.json.messages[0].id}`;
      expect(row?.meta).toBeTruthy();
    });
    const [row] = await stack.db.sql<{ meta: string }[]>`select meta_wamid as meta from messages where wamid = ${later.json.messages[0].id}`;
    expect(await metaVerdict(stack, row!.meta)).toBeUndefined();
  });

  it("holds the 251st for a tenant that chose 'hold', and sends it when a slot frees", async () => {
    const tenant = await tier250Tenant('Holding');
    expect((await stack.call('PUT', '/api/v1/policy', tenant.api_key, { over_limit: 'hold' })).status).toBe(200);
    await reach(tenant, 2, 250);
    const atMeta = metaOutbound(stack, tenant);
    const held = await send(tenant, user(2, 250));
    expect(held.status, JSON.stringify(held.json)).toBe(200);
    const wamid = held.json.messages[0].id as string;
    await vi.waitFor(async () => {
      const limits = await stack.call('GET', '/api/v1/limits', tenant.api_key);
      expect(limits.json.data[0]).toMatchObject({ unique_users_24h: 250, held_messages: 1 });
    });
    const [queued] = await stack.db.sql<{ held_reason: string; held_until: Date | null }[]>`
      select held_reason, held_until from send_queue q join messages m on m.id = q.message_id where m.wamid = ${wamid}`;
    expect(queued!.held_reason).toBe('messaging_limit');
    stack.clock.advance(10_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(metaOutbound(stack, tenant)).toBe(atMeta);
    await vi.waitFor(async () => {
      const [row] = await stack.db.sql<{ until: Date | null }[]>`
        select held_until as until from send_queue q join messages m on m.id = q.message_id where m.wamid = ${wamid}`;
      expect(row?.until).toBeInstanceOf(Date);
    });

    stack.clock.advance(24 * HOUR);
    await vi.waitFor(async () => {
      stack.clock.advance(500);
      const [row] = await stack.db.sql<{ meta: string | null }[]>`select meta_wamid as meta from messages where wamid = ${wamid}`;
      expect(row?.meta).toBeTruthy();
    });
    expect(metaOutbound(stack, tenant)).toBe(atMeta + 1);
    const [row] = await stack.db.sql<{ meta: string }[]>`select meta_wamid as meta from messages where wamid = ${wamid}`;
    expect(await metaVerdict(stack, row!.meta)).toBeUndefined();
    expect((await stack.call('GET', '/api/v1/limits', tenant.api_key)).json.data[0]).toMatchObject({ held_messages: 0, unique_users_24h: 1 });
  });

  it('drops a held message whose time to live passes before a slot frees, with a failed status to the tenant', async () => {
    const tenant = await tier250Tenant('Expiring');
    expect((await stack.call('PUT', '/api/v1/policy', tenant.api_key, { over_limit: 'hold' })).status).toBe(200);
    await reach(tenant, 3, 250);
    // The template's own time to live (message_send_ttl_seconds, as Meta's template edit sets it).
    await stack.db.sql`update templates set message_send_ttl_seconds = 600 where name = 'hello_world' and waba_id = ${tenant.sandbox.waba_id}`;
    const atMeta = metaOutbound(stack, tenant);
    const held = await send(tenant, user(3, 250));
    expect(held.status, JSON.stringify(held.json)).toBe(200);
    const wamid = held.json.messages[0].id as string;
    const [queued] = await stack.db.sql<{ expires: Date }[]>`
      select expires_at as expires from send_queue q join messages m on m.id = q.message_id where m.wamid = ${wamid}`;
    expect(queued!.expires.getTime()).toBe(stack.clock.now() + 600_000);

    stack.clock.advance(599_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await stack.db.sql`select 1 from send_queue q join messages m on m.id = q.message_id where m.wamid = ${wamid}`).length).toBe(1);

    stack.clock.advance(1_000);
    await vi.waitFor(async () => {
      const [row] = await stack.db.sql<{ status: string; error: Json }[]>`select status, error from messages where wamid = ${wamid}`;
      expect(row).toMatchObject({ status: 'failed', error: { code: 131048 } });
    });
    expect((await stack.db.sql`select 1 from send_queue q join messages m on m.id = q.message_id where m.wamid = ${wamid}`).length).toBe(0);
    const [event] = await stack.db.sql<{ value: Json }[]>`
      select value from webhook_events where tenant_id = ${tenant.tenant_id} and value -> 'statuses' -> 0 ->> 'id' = ${wamid}`;
    expect(event!.value.statuses[0]).toMatchObject({ status: 'failed', recipient_id: user(3, 250), errors: [{ code: 131048 }] });
    const message = await stack.call('GET', `/api/v1/messages/${wamid}`, tenant.api_key);
    expect(message.json).toMatchObject({ status: 'failed' });
    expect((await stack.call('GET', '/api/v1/limits', tenant.api_key)).json.data[0]).toMatchObject({ held_messages: 0 });
    stack.clock.advance(25 * HOUR);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(metaOutbound(stack, tenant)).toBe(atMeta);
  });
});
