import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './connect.js';
import { MIGRATIONS_DIR, migrate, migrationFiles, migrationsApplied } from './migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('numbers files and applies each once', async () => {
    const files = await migrationFiles();
    expect(files.length).toBeGreaterThan(0);
    expect(files.map((f) => f.id)).toEqual([...files.map((f) => f.id)].sort((a, b) => a - b));
    // The template was migrated: every file reports already-applied.
    const results = await migrate(db.sql);
    expect(results.every((r) => r.status === 'already-applied')).toBe(true);
    expect(await migrationsApplied(db.sql)).toBe(true);
  });

  it('lets concurrent migrators take turns under the advisory lock', async () => {
    await db.sql.unsafe('drop schema public cascade; create schema public');
    expect(await migrationsApplied(db.sql)).toBe(false);
    const pools = [connect(db.url, { max: 2 }), connect(db.url, { max: 2 }), connect(db.url, { max: 2 })];
    try {
      const outcomes = await Promise.all(pools.map((p) => migrate(p)));
      const applied = outcomes.flat().filter((r) => r.status === 'applied');
      const files = await migrationFiles();
      expect(applied).toHaveLength(files.length);
      expect(await migrationsApplied(db.sql)).toBe(true);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  /**
   * An empty schema migrated up to migration `id` only, as a database of that version would be,
   * with a tenant and one webhook destination of it.
   */
  async function tenantAtMigration(id: number): Promise<{ tenantId: string; destinationId: string }> {
    await db.sql.unsafe('drop schema public cascade; create schema public');
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    try {
      for (const f of (await migrationFiles()).filter((f) => f.id <= id)) await cp(join(MIGRATIONS_DIR, f.name), join(dir, f.name));
      await migrate(db.sql, dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const [tenant] = await db.sql<{ id: string }[]>`insert into tenants (name, webhook_secret_enc) values ('t', '\\x00') returning id`;
    const [dest] = await db.sql<{ id: string }[]>`insert into webhook_destinations (tenant_id, url) values (${tenant!.id}, 'http://127.0.0.1:9/h') returning id`;
    return { tenantId: tenant!.id, destinationId: dest!.id };
  }

  it('keeps which events each webhook POST carried when the link rows become arrays (migration 9)', async () => {
    const { tenantId, destinationId } = await tenantAtMigration(8);
    const sql = db.sql;
    const events = await sql<{ id: string }[]>`
      insert into webhook_events (tenant_id, waba_id, field, value, ordering_key, destination_id, created_at)
      select ${tenantId}, 'w', 'messages', '{}', 'k' || n, ${destinationId}, now() from generate_series(1, 3) n
      returning id`;
    const attempts = await sql<{ id: string }[]>`
      insert into webhook_attempts (tenant_id, destination_id, url, started_at, duration_ms, outcome, event_count)
      select ${tenantId}, ${destinationId}, 'http://127.0.0.1:9/h', now(), 1, o, 2 from unnest(array['failed', 'delivered']) o
      returning id`;
    const [e1, e2, e3] = events.map((e) => e.id);
    const [failed, delivered] = attempts.map((a) => a.id);
    // The failed POST carried events 1 and 2, the delivered one 2 and 3.
    await sql`
      insert into webhook_attempt_events (event_id, attempt_id)
      values (${e1!}, ${failed!}), (${e2!}, ${failed!}), (${e2!}, ${delivered!}), (${e3!}, ${delivered!})`;

    await migrate(sql);

    const byAttempt = await sql<{ id: string; event_ids: string[] }[]>`select id::text, event_ids::text[] from webhook_attempts order by webhook_attempts.id`;
    expect(byAttempt).toEqual([
      { id: failed, event_ids: [e1, e2] },
      { id: delivered, event_ids: [e2, e3] },
    ]);
    const byEvent = await sql<{ id: string; attempt_ids: string[] }[]>`select id::text, attempt_ids::text[] from webhook_events order by webhook_events.id`;
    expect(byEvent).toEqual([
      { id: e1, attempt_ids: [failed] },
      { id: e2, attempt_ids: [failed, delivered] },
      { id: e3, attempt_ids: [delivered] },
    ]);
    const [link] = await sql`select to_regclass('webhook_attempt_events') as t`;
    expect(link!.t).toBeNull();
    expect(await migrationsApplied(sql)).toBe(true);
  });

  it('queues the events still pending in webhook_pending when the queue moves out of webhook_events (migration 15)', async () => {
    const { tenantId, destinationId } = await tenantAtMigration(14);
    const sql = db.sql;
    const events = await sql<{ id: string }[]>`
      insert into webhook_events (tenant_id, waba_id, field, value, ordering_key, destination_id, state, created_at, delivered_at, dead_at)
      select ${tenantId}, 'w', 'messages', '{}', 'k' || n, case when n = 4 then null else ${destinationId}::bigint end, s, now(),
             case when s = 'delivered' then now() end, case when s = 'dead' then now() end
      from unnest(array['pending', 'delivered', 'dead', 'pending', 'pending']) with ordinality as t(s, n)
      order by n
      returning id`;
    const [pending, delivered, dead, orphan, last] = events.map((e) => e.id);

    await migrate(sql);

    const queue = await sql<{ event_id: string; destination_id: string; ordering_key: string }[]>`
      select event_id::text, destination_id::text, ordering_key from webhook_pending order by event_id`;
    expect(queue).toEqual([
      { event_id: pending, destination_id: destinationId, ordering_key: 'k1' },
      { event_id: last, destination_id: destinationId, ordering_key: 'k5' },
    ]);
    // A pending event with no destination could never be sent: it is a dead letter now, replayable.
    const states = await sql<{ id: string; state: string; dead: boolean }[]>`
      select id::text, state, dead_at is not null as dead from webhook_events order by id`;
    expect(states).toEqual([
      { id: pending, state: 'pending', dead: false },
      { id: delivered, state: 'delivered', dead: false },
      { id: dead, state: 'dead', dead: true },
      { id: orphan, state: 'dead', dead: true },
      { id: last, state: 'pending', dead: false },
    ]);
    expect(await migrationsApplied(sql)).toBe(true);
  });
});
