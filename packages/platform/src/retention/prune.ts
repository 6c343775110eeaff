/**
 * Retention: the platform's bookkeeping of webhooks is not kept forever. Left alone it grows by
 * about four rows a message (Meta's POSTs, tenant events and their POSTs), and every queue scan,
 * vacuum and backup pays for rows nobody reads again. Deleted once older than their retention:
 * - Meta's webhooks (`inbound_events`), processed or given up on, after `metaWebhookDays` (at
 *   least 7: Meta retries a webhook for up to 7 days, and a retry is recognised by its stored
 *   digest, so a row must outlive its retries); statuses that never found their message
 *   (`pending_statuses`) after the same time;
 * - tenant events delivered or dead-lettered (`webhook_events`), counted from their delivery or
 *   dead-lettering, and the delivery log (`webhook_attempts`), after `tenantWebhookDays`.
 *   Pending events are never deleted: a receiver that is down keeps them until they are
 *   delivered or dead-lettered.
 * Messages, their statuses and attempts (history, billing) are kept; their content goes after
 * `messageContentDays` when it is set (redact.ts), and then no copy of it is kept longer: the
 * webhook bookkeeping above is deleted after the smaller of its own days and those.
 *
 * Each table is pruned in batches, each its own short statement, oldest first. A batch finds the
 * first row inside the retention by id (ids grow with time), so it reads only the rows it deletes
 * and those it must keep among them, never the whole table; rows another process is pruning are
 * skipped (SKIP LOCKED), so several platform processes may run it at once.
 */
import type { PendingQuery, Row } from 'postgres';
import type { Sql } from '../db/connect.js';
import { MAX_INBOUND_ATTEMPTS } from '../inbound/processor.js';

const DAY_MS = 24 * 3_600_000;
export const BATCH = 5_000;
/** Meta retries a webhook "for up to 7 days" (its webhooks overview; reference/cloud-api.md, retries). */
export const MIN_META_WEBHOOK_DAYS = 7;

export interface RetentionPolicy {
  /** Days Meta's webhooks are kept (and statuses that never found their message). */
  metaWebhookDays: number;
  /** Days delivered or dead tenant events, and the delivery log, are kept. */
  tenantWebhookDays: number;
  /** Days the content of messages is kept (redact.ts); undefined: kept. */
  messageContentDays?: number | undefined;
}

export const DEFAULT_RETENTION: RetentionPolicy = { metaWebhookDays: 14, tenantWebhookDays: 30 };

export interface Pruned {
  inboundEvents: number;
  pendingStatuses: number;
  webhookEvents: number;
  webhookAttempts: number;
}

/** Deletes everything past its retention at `now`; returns how many rows of each kind went. */
export async function pruneExpired(sql: Sql, policy: RetentionPolicy, now: number): Promise<Pruned> {
  const atMost = (days: number) => Math.min(days, policy.messageContentDays ?? Infinity);
  const metaCutoff = new Date(now - atMost(policy.metaWebhookDays) * DAY_MS);
  const tenantCutoff = new Date(now - atMost(policy.tenantWebhookDays) * DAY_MS);
  return {
    inboundEvents: await inBatches(() =>
      pruneBatch(sql, 'inbound_events', 'received_at', metaCutoff, sql`(e.processed_at is not null or e.attempts >= ${MAX_INBOUND_ATTEMPTS})`),
    ),
    pendingStatuses: await inBatches(
      () => sql`
        delete from pending_statuses where ctid in (
          select ctid from pending_statuses where received_at < ${metaCutoff} limit ${BATCH} for update skip locked)`,
    ),
    webhookEvents: await inBatches(() =>
      pruneBatch(
        sql,
        'webhook_events',
        'created_at',
        tenantCutoff,
        sql`((e.state = 'delivered' and e.delivered_at < ${tenantCutoff}) or (e.state = 'dead' and e.dead_at < ${tenantCutoff}))`,
      ),
    ),
    webhookAttempts: await inBatches(() => pruneBatch(sql, 'webhook_attempts', 'started_at', tenantCutoff, sql`true`)),
  };
}

/**
 * One batch of `table`'s rows (aliased `e` in `deletable`) older than the first row whose
 * `timeColumn` is inside the retention: that row is found by id from the oldest, so the scan covers
 * only rows older than it.
 */
function pruneBatch(sql: Sql, table: string, timeColumn: string, cutoff: Date, deletable: PendingQuery<Row[]>) {
  return sql`
    with first_kept as (
      select coalesce((select id from ${sql(table)} where ${sql(timeColumn)} >= ${cutoff} order by id limit 1), 9223372036854775807) as id)
    delete from ${sql(table)} where id in (
      select e.id from ${sql(table)} e, first_kept k
      where e.id < k.id and ${deletable}
      order by e.id limit ${BATCH} for update skip locked)`;
}

async function inBatches(batch: () => Promise<{ count: number }>): Promise<number> {
  let total = 0;
  for (;;) {
    const { count } = await batch();
    total += count;
    if (count < BATCH) return total;
  }
}
