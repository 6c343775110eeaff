/**
 * Records one POST to a destination, each outcome in a single statement (the attempt with its
 * events' ids, each event's state and attempt ids, the destination's backoff; events delivered or
 * dead-lettered leave the queue, webhook_pending), then wakes
 * destinations whose events were waiting behind the resolved ones (same ordering key, another
 * URL) with a NOTIFY.
 *
 * Backoff is the destination's, computed here: 1 s × 2^(failures) capped at 1 h, with ±25 %
 * jitter so receivers recovering from an outage are not hit by every sender at once. It holds
 * every event queued for the destination while the receiver fails, so a dead receiver sees one
 * probe per step rather than one POST per new event.
 *
 * Dead letters: every event waiting while the receiver fails starts its retry window at the first
 * failure after it arrived (first_failed_at); at a failed attempt, events whose window (24 h) has
 * passed become dead. A success after failures clears the windows of the events still queued.
 */
import type { Sql } from 'postgres';
import { MAX_NOTIFY_PAYLOAD, WEBHOOK_CHANNEL } from '../channel.js';
import { otherPendingDestinations } from './claim-batch.js';

export const BACKOFF_BASE_S = 1;
export const BACKOFF_MAX_S = 3_600;
export const RETRY_WINDOW_MS = 24 * 3_600_000;

export interface AttemptRecord {
  destinationId: string;
  tenantId: string;
  url: string;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  eventIds: string[];
  now: Date;
}

/**
 * @param again an earlier try failed with its connection, perhaps after its commit: the attempt is
 *   recorded only if one of its events is still queued (otherwise the earlier try, or another
 *   worker's delivery, resolved them).
 */
export async function recordDelivered(sql: Sql, a: AttemptRecord, recovered: boolean, again = false): Promise<void> {
  await sql`
    with attempt as (
      insert into webhook_attempts (tenant_id, destination_id, url, started_at, duration_ms, outcome, status_code, event_count, event_ids)
      select ${a.tenantId}, ${a.destinationId}, ${a.url}, ${a.startedAt}, ${a.durationMs}, 'delivered', ${a.statusCode}, ${a.eventIds.length},
             ${a.eventIds}::bigint[]
      where not ${again}::boolean or exists (select from webhook_pending where event_id = any(${a.eventIds}::bigint[]))
      returning id),
    destination as (
      update webhook_destinations set failures = 0, retry_at = null, last_success_at = ${a.now}, last_error = null
      where id = ${a.destinationId}),
    done as (
      delete from webhook_pending where event_id = any(${a.eventIds}::bigint[])
      returning event_id, ordering_key),
    delivered as (
      update webhook_events set state = 'delivered', delivered_at = ${a.now}, attempts = attempts + 1, last_error = null,
        attempt_ids = attempt_ids || (select id from attempt)
      where id in (select event_id from done))
    ${notifyWaiting(sql, a, 'done')}`;
  if (recovered) {
    await sql`
      update webhook_events set first_failed_at = null
      where id in (select event_id from webhook_pending where destination_id = ${a.destinationId}) and first_failed_at is not null`;
  }
}

export interface FailedAttempt extends AttemptRecord {
  outcome: 'failed' | 'timeout';
  error: string;
}

/** Returns when the destination may be tried again, and how many events were dead-lettered. */
export async function recordFailed(sql: Sql, a: FailedAttempt): Promise<{ retryAt: Date; dead: number }> {
  const cutoff = new Date(a.now.getTime() - RETRY_WINDOW_MS);
  const [row] = await sql<{ retry_at: Date; dead: number }[]>`
    with attempt as (
      insert into webhook_attempts (tenant_id, destination_id, url, started_at, duration_ms, outcome, status_code, error, event_count, event_ids)
      values (${a.tenantId}, ${a.destinationId}, ${a.url}, ${a.startedAt}, ${a.durationMs}, ${a.outcome}, ${a.statusCode},
              ${a.error}, ${a.eventIds.length}, ${a.eventIds}::bigint[])
      returning id),
    destination as (
      update webhook_destinations set
        failures = failures + 1,
        retry_at = ${a.now}::timestamptz + make_interval(secs =>
          least(${BACKOFF_MAX_S}::float8, ${BACKOFF_BASE_S}::float8 * power(2, least(failures, 30))) * (0.75 + random() * 0.5)),
        last_failure_at = ${a.now}, last_error = ${a.error}
      where id = ${a.destinationId}
      returning retry_at),
    -- Only rows that change: the batch, events starting their window, events past it.
    events as (
      update webhook_events e set
        attempts = e.attempts + case when e.id = any(${a.eventIds}::bigint[]) then 1 else 0 end,
        last_error = case when e.id = any(${a.eventIds}::bigint[]) then ${a.error} else e.last_error end,
        attempt_ids = case when e.id = any(${a.eventIds}::bigint[]) then e.attempt_ids || (select id from attempt) else e.attempt_ids end,
        first_failed_at = coalesce(e.first_failed_at, ${a.now}),
        state = case when e.first_failed_at <= ${cutoff} then 'dead' else 'pending' end,
        dead_at = case when e.first_failed_at <= ${cutoff} then ${a.now}::timestamptz end
      from webhook_pending q
      where q.destination_id = ${a.destinationId} and e.id = q.event_id
        and (e.id = any(${a.eventIds}::bigint[]) or e.first_failed_at is null or e.first_failed_at <= ${cutoff})
      returning e.id, e.state, e.ordering_key),
    done as (
      delete from webhook_pending where event_id in (select id from events where state = 'dead')
      returning ordering_key),
    wake as (${notifyWaiting(sql, a, 'done')})
    select (select retry_at from destination) as retry_at,
           (select count(*)::int from done) as dead,
           (select count(*) from wake) as woken`;
  return { retryAt: row!.retry_at, dead: row!.dead };
}

/**
 * NOTIFY the other destinations holding undelivered events of the keys in `resolved` (a CTE of
 * ordering_key rows). The statement's snapshot predates its own changes, which is fine: only other
 * destinations' rows are read. The lookup runs only if another destination of the tenant has
 * pending events at all (a one-time test: see otherPendingDestinations in claim-batch.ts).
 */
function notifyWaiting(sql: Sql, a: AttemptRecord, resolved: string) {
  return sql`
    select pg_notify(${WEBHOOK_CHANNEL}, case when length(ids) > ${MAX_NOTIFY_PAYLOAD} then '' else ids end)
    from (
      select string_agg(distinct p.destination_id::text, ',') as ids
      from webhook_pending p
      where (select exists (${otherPendingDestinations(sql, a.tenantId, a.destinationId)}))
        and p.tenant_id = ${a.tenantId} and p.destination_id <> ${a.destinationId}
        and p.ordering_key in (select ordering_key from ${sql(resolved)})) w
    where ids is not null`;
}
