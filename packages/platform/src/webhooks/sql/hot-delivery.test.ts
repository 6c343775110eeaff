/**
 * Marking tenant events delivered must stay a HOT update: no indexed column of webhook_events
 * changes (the queue is webhook_pending, migration 15), so the new version stays on its page and
 * adds no index entries. An index or predicate naming `state` or `delivered_at` would silently
 * double what each delivery writes (docs/benchmarks.md, "What a message writes"); this catches it.
 * Counted within one transaction (pg_stat_xact_user_tables), so the figures are exact at once.
 */
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/test-db.js';
import { enqueueTenantEvents } from '../enqueue-events.js';
import { claimBatch } from './claim-batch.js';
import { recordDelivered } from './record-attempt.js';

const EVENTS = 40;

describe('delivering tenant events', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('updates every event in place (HOT) and empties the queue', async () => {
    const now = new Date('2026-11-22T00:00:00Z');
    const [tenant] = await db.sql<{ id: string }[]>`insert into tenants (name, webhook_secret_enc) values ('t', '\\x00') returning id`;
    const tenantId = tenant!.id;
    await db.sql`insert into webhook_defaults (tenant_id, url, verify_token_enc, updated_at) values (${tenantId}, 'https://example.com/hook', '\\x00', ${now})`;
    // Bodies of a status's size, so pages fill as they do in production.
    const value = { statuses: [{ id: 'wamid.x', status: 'delivered', padding: 'p'.repeat(600) }] };
    await db.sql.begin((tx) =>
      enqueueTenantEvents(
        tx,
        Array.from({ length: EVENTS }, (_, i) => ({ tenantId, wabaId: 'w', phoneNumberId: 'p', field: 'messages', value, orderingKey: `p:${i % 7}` })),
        now,
      ),
    );
    const [destination] = await db.sql<{ id: string }[]>`select id::text from webhook_destinations where tenant_id = ${tenantId}`;

    const counts = await db.sql.begin(async (tx) => {
      // The two statements run in this transaction, whose counters see their updates at once.
      const sql = tx as unknown as Sql;
      const batch = await claimBatch(sql, destination!.id, 100);
      expect(batch).toHaveLength(EVENTS);
      await recordDelivered(
        sql,
        { destinationId: destination!.id, tenantId, url: 'https://example.com/hook', startedAt: now, durationMs: 5, statusCode: 200, eventIds: batch.map((e) => e.id), now },
        false,
      );
      const [row] = await tx<{ updated: number; hot: number }[]>`
        select n_tup_upd::int as updated, n_tup_hot_upd::int as hot from pg_stat_xact_user_tables where relname = 'webhook_events'`;
      return row!;
    });
    expect(counts).toEqual({ updated: EVENTS, hot: EVENTS });
    const [left] = await db.sql<{ pending: number; delivered: number }[]>`
      select (select count(*)::int from webhook_pending) as pending,
             (select count(*)::int from webhook_events where state = 'delivered' and delivered_at is not null) as delivered`;
    expect(left).toEqual({ pending: 0, delivered: EVENTS });
  });
});
