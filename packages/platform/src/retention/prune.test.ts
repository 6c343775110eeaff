/**
 * Retention against a real database and the platform clock: what is past its retention goes, in
 * batches; what is still owed (events pending, Meta's webhooks not yet processed) or recent stays.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApiTest, type ApiTest } from '../api/test-support.js';
import { readPlatformConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { BATCH, DEFAULT_RETENTION, pruneExpired } from './prune.js';
import { startRetention } from './worker.js';

const DAY = 24 * 3_600_000;

describe('retention', () => {
  let t: ApiTest;
  beforeAll(async () => {
    t = await startApiTest();
  });
  afterAll(async () => t.close());

  const at = (daysAgo: number) => new Date(t.clock.now() - daysAgo * DAY);

  async function inbound(daysAgo: number, tag: string, state: { processed: boolean; attempts?: number }): Promise<void> {
    await t.db.sql`
      insert into inbound_events (body, received_at, processed_at, attempts, digest)
      values (${JSON.stringify({ tag })}::text::json, ${at(daysAgo)}, ${state.processed ? at(daysAgo) : null}, ${state.attempts ?? 0}, ${Buffer.from(randomUUID())})`;
  }

  async function event(tenantId: string, tag: string, row: { createdDaysAgo: number; state: 'pending' | 'delivered' | 'dead'; doneDaysAgo?: number }): Promise<void> {
    const done = row.doneDaysAgo === undefined ? null : at(row.doneDaysAgo);
    await t.db.sql`
      insert into webhook_events (tenant_id, waba_id, field, value, ordering_key, state, created_at, delivered_at, dead_at)
      values (${tenantId}, 'w', 'messages', ${JSON.stringify({ tag })}::text::json, ${tag}, ${row.state}, ${at(row.createdDaysAgo)},
              ${row.state === 'delivered' ? done : null}, ${row.state === 'dead' ? done : null})`;
  }

  async function tags(table: 'inbound_events' | 'webhook_events', tenantId?: string): Promise<string[]> {
    const rows =
      table === 'inbound_events'
        ? await t.db.sql<{ tag: string }[]>`select body->>'tag' as tag from inbound_events where body->>'tag' like 'r-%' order by id`
        : await t.db.sql<{ tag: string }[]>`select value->>'tag' as tag from webhook_events where tenant_id = ${tenantId!} order by id`;
    return rows.map((r) => r.tag);
  }

  it("deletes what is past its retention and keeps what is recent or still owed", async () => {
    const tenant = await t.tenant();
    await inbound(20, 'r-old-processed', { processed: true });
    await inbound(20, 'r-old-in-progress', { processed: false, attempts: 2 });
    await inbound(20, 'r-old-given-up', { processed: false, attempts: 5 });
    await inbound(13, 'r-recent-processed', { processed: true });
    await t.db.sql`insert into pending_statuses (meta_wamid, status, received_at) values ('wamid.old', '{}', ${at(15)}), ('wamid.new', '{}', ${at(1)})`;
    await event(tenant.tenant_id, 'delivered-old', { createdDaysAgo: 40, state: 'delivered', doneDaysAgo: 40 });
    await event(tenant.tenant_id, 'dead-old', { createdDaysAgo: 40, state: 'dead', doneDaysAgo: 39 });
    await event(tenant.tenant_id, 'pending-old', { createdDaysAgo: 40, state: 'pending' });
    await event(tenant.tenant_id, 'delivered-late', { createdDaysAgo: 40, state: 'delivered', doneDaysAgo: 10 });
    await event(tenant.tenant_id, 'delivered-recent', { createdDaysAgo: 2, state: 'delivered', doneDaysAgo: 2 });
    await t.db.sql`
      insert into webhook_attempts (tenant_id, destination_id, url, started_at, duration_ms, outcome, event_count)
      values (${tenant.tenant_id}, 1, 'https://old.example', ${at(31)}, 5, 'delivered', 1), (${tenant.tenant_id}, 1, 'https://new.example', ${at(29)}, 5, 'delivered', 1)`;

    const pruned = await pruneExpired(t.db.sql, DEFAULT_RETENTION, t.clock.now());
    expect(pruned).toEqual({ inboundEvents: 2, pendingStatuses: 1, webhookEvents: 2, webhookAttempts: 1 });
    expect(await tags('inbound_events')).toEqual(['r-old-in-progress', 'r-recent-processed']);
    expect((await t.db.sql<{ w: string }[]>`select meta_wamid as w from pending_statuses`).map((r) => r.w)).toEqual(['wamid.new']);
    expect(await tags('webhook_events', tenant.tenant_id)).toEqual(['pending-old', 'delivered-late', 'delivered-recent']);
    expect((await t.db.sql<{ url: string }[]>`select url from webhook_attempts where tenant_id = ${tenant.tenant_id}`).map((r) => r.url)).toEqual(['https://new.example']);

    // Nothing more is due; days later the late delivery's time comes too.
    expect(await pruneExpired(t.db.sql, DEFAULT_RETENTION, t.clock.now())).toEqual({ inboundEvents: 0, pendingStatuses: 0, webhookEvents: 0, webhookAttempts: 0 });
    expect((await pruneExpired(t.db.sql, DEFAULT_RETENTION, t.clock.now() + 21 * DAY)).webhookEvents).toBe(1);
    expect(await tags('webhook_events', tenant.tenant_id)).toEqual(['pending-old', 'delivered-recent']);
  });

  it('deletes in batches until nothing past its retention is left', async () => {
    const old = at(30);
    await t.db.sql`
      insert into inbound_events (body, received_at, processed_at, digest)
      select '{}'::json, ${old}, ${old}, sha256(('batch-' || n)::bytea) from generate_series(1, ${2 * BATCH + 7}) n`;
    const pruned = await pruneExpired(t.db.sql, DEFAULT_RETENTION, t.clock.now());
    expect(pruned.inboundEvents).toBe(2 * BATCH + 7);
    const [left] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from inbound_events where received_at <= ${old}`;
    expect(left!.n).toBe(0);
  });

  it('runs in the background and counts what it deleted in /metrics', async () => {
    await inbound(30, 'r-background', { processed: true });
    const worker = startRetention(t.platform.ctx, { firstRunMs: 0 });
    try {
      await vi.waitFor(async () => expect(await tags('inbound_events')).not.toContain('r-background'), { timeout: 10_000 });
    } finally {
      await worker.close();
    }
    expect(t.platform.ctx.metrics.render()).toMatch(/switchboard_retention_deleted_total\{table="inbound_events"\} [1-9]/);
  });

  it('logs a failed run and tries again at the next one', async () => {
    // A pool that has been closed: every statement of a run fails, as with the database down.
    const closed = connect(t.db.url, { max: 1 });
    await closed.end();
    const logger = t.platform.ctx.logger.child({});
    const logged = vi.spyOn(logger, 'error');
    const worker = startRetention({ ...t.platform.ctx, sql: closed, logger }, { firstRunMs: 0, intervalMs: 20 });
    try {
      await vi.waitFor(() => expect(logged.mock.calls.length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    } finally {
      await worker.close();
    }
    expect(logged.mock.calls[0]).toEqual([{ err: expect.any(Error) }, 'retention failed; will retry at the next run']);
  });

  it('is configured in days, and keeps Meta\'s webhooks at least as long as Meta retries them', () => {
    const base = { SWITCHBOARD_ENCRYPTION_KEY: 'a'.repeat(64), SWITCHBOARD_OPERATOR_KEY: 'op' };
    const config = readPlatformConfig(base);
    expect([config.SWITCHBOARD_RETENTION_META_WEBHOOK_DAYS, config.SWITCHBOARD_RETENTION_TENANT_WEBHOOK_DAYS]).toEqual([14, 30]);
    expect(() => readPlatformConfig({ ...base, SWITCHBOARD_RETENTION_META_WEBHOOK_DAYS: '6' })).toThrow(/SWITCHBOARD_RETENTION_META_WEBHOOK_DAYS.*at least 7/);
    expect(() => readPlatformConfig({ ...base, SWITCHBOARD_RETENTION_TENANT_WEBHOOK_DAYS: '0' })).toThrow(/SWITCHBOARD_RETENTION_TENANT_WEBHOOK_DAYS/);
    expect(readPlatformConfig({ ...base, SWITCHBOARD_RETENTION_TENANT_WEBHOOK_DAYS: '365' }).SWITCHBOARD_RETENTION_TENANT_WEBHOOK_DAYS).toBe(365);
  });
});
