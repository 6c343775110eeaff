/**
 * The next messages of one number that may be sent now, oldest first. Only the lease holder calls
 * this, so no row locks are needed (markInFlight settles the moment after a lease passes, when two
 * lanes may overlap); recipients held back (pair rate, a message in flight) are excluded so they do
 * not crowd out the others, and so are messages held by the messaging limit (held_reason;
 * limits/release-held.ts clears it).
 */
import type { Sql } from '../../db/connect.js';

export interface QueuedMessage {
  id: string;
  wamid: string;
  tenant_id: string;
  recipient: string;
  body: Record<string, unknown>;
  attempts: number;
  /** Set when a status proved Meta had the message after an attempt with an unknown outcome. */
  meta_wamid: string | null;
  /** When the message's time to live passes (null: it has none, e.g. a keyword confirmation). */
  expires_at: Date | null;
}

/**
 * Whether an earlier message of the queued row `q`'s conversation (same number, same recipient)
 * waits for its retry or is in flight: `q` waits behind it, so a conversation's messages reach
 * Meta in the order they were accepted. A lane never claims while its own sends are in flight, so
 * one in flight is another lane's: for a moment after a lease passes, the old holder's lane may
 * still send, and its first attempt (attempts 0) may be marked after this lane's start-up recovery
 * looked. Only messages with an attempt on record or in flight can hold a conversation so
 * (send_queue_holding, migration 17).
 */
function behindHolder(sql: Sql, now: Date) {
  return sql`exists (
    select from send_queue e
    where e.phone_number_id = q.phone_number_id and e.recipient = q.recipient and e.message_id < q.message_id
      and ${holdsConversation(sql, now)})`;
}

/** A queued row (named without a table, in a scope of send_queue alone) that holds back the rest of its conversation. */
function holdsConversation(sql: Sql, now: Date) {
  return sql`(in_flight_since is not null or (attempts > 0 and available_at > ${now}))`;
}

/**
 * Not a message behind an earlier one of its conversation that waits for its retry or is in
 * flight (behindHolder).
 * Also claimed before their retry time, or while behind one: messages whose time to live has passed
 * (the lane fails them, sending nothing), so a long backoff does not make a failure late — a
 * one-time code's sender hears of it when its 10 minutes are over, not at the next retry. Not those
 * with an attempt whose outcome is unknown: they wait for their retry (and Meta's status), as any
 * other.
 */
export async function claimBatch(sql: Sql, phoneNumberId: string, now: Date, excluded: string[], limit: number): Promise<QueuedMessage[]> {
  return sql<QueuedMessage[]>`
    select m.id::text as id, m.wamid, m.tenant_id, q.recipient, m.body, q.attempts, m.meta_wamid, q.expires_at
    from send_queue q join messages m on m.id = q.message_id
    where q.phone_number_id = ${phoneNumberId}
      and ((q.available_at <= ${now} and not ${behindHolder(sql, now)})
           or (q.expires_at <= ${now}
               and not exists (select from message_attempts a where a.message_id = q.message_id and a.outcome = 'unknown')))
      and q.in_flight_since is null
      and q.held_reason is null
      and q.recipient <> all(${excluded}::text[])
    order by q.message_id
    limit ${limit}`;
}

export interface NextWork {
  /** When a queued message becomes available, or one's time to live passes (undefined: nothing queued). */
  at: Date | undefined;
  /** When the oldest message of the number still marked in flight was marked (another lane's: see behindHolder). */
  inFlightSince: Date | undefined;
}

/**
 * When the lane has work next: a queued message becomes available, or one's time to live passes
 * before its retry (a passed one still queued waits for its retry: see claimBatch). A message behind
 * an earlier one of its conversation (behindHolder) is due no sooner than that one, which is in the
 * minimum unless it is in flight, or when its time to live passes. The conversations held so are
 * found first, from send_queue_holding: looking behind every queued row instead made this four
 * times slower with 66,000 queued (79 ms against 17 ms, measured). Messages another lane has in
 * flight are reported apart: when they leave the queue is that lane's to say.
 */
export async function nextWork(sql: Sql, phoneNumberId: string, now: Date): Promise<NextWork> {
  const [row] = await sql<{ at: Date | null; in_flight_since: Date | null }[]>`
    with holding as (
      select recipient, min(message_id) as first from send_queue
      where phone_number_id = ${phoneNumberId} and ${holdsConversation(sql, now)}
      group by recipient
    )
    select min(case
      when q.message_id > h.first then case when q.expires_at > ${now} then q.expires_at end
      when q.expires_at > ${now} then least(q.available_at, q.expires_at)
      else q.available_at end) as at,
      (select min(in_flight_since) from send_queue where phone_number_id = ${phoneNumberId} and in_flight_since is not null) as in_flight_since
    from send_queue q left join holding h on h.recipient = q.recipient
    where q.phone_number_id = ${phoneNumberId} and q.in_flight_since is null and q.held_reason is null`;
  return { at: row?.at ?? undefined, inFlightSince: row?.in_flight_since ?? undefined };
}

/** Of these messages, those with an attempt whose outcome is unknown (Meta may have them). */
export async function withUnknownAttempts(sql: Sql, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await sql<{ id: string }[]>`
    select distinct message_id::text as id from message_attempts where message_id = any(${ids}::bigint[]) and outcome = 'unknown'`;
  return new Set(rows.map((r) => r.id));
}

/**
 * Marks messages as in flight, committed before any of them leaves; returns those it marked. One
 * marked already was taken by another lane: for a moment after a lease is lost (its connection
 * dropped, PostgreSQL restarted) the old holder's lane may still run while a new holder's claims
 * the same rows, and only the lane whose mark took a row may send it. One gone from the queue was
 * sent by that other lane, or settled by Meta's status for an earlier attempt (inbound/apply-statuses.ts).
 */
export async function markInFlight(sql: Sql, ids: string[], now: Date): Promise<Set<string>> {
  const rows = await sql<{ id: string }[]>`
    update send_queue set in_flight_since = ${now}
    where message_id = any(${ids}::bigint[]) and in_flight_since is null
    returning message_id::text as id`;
  return new Set(rows.map((r) => r.id));
}

/** Removes messages that need no further attempt. */
export async function dropFromQueue(sql: Sql, ids: string[]): Promise<void> {
  await sql`delete from send_queue where message_id = any(${ids}::bigint[])`;
}

/** Why an attempt recovered from its in-flight mark has an unknown outcome. */
const STOPPED_REASON = 'process stopped while the request was in flight';
const STALE_REASON = 'left in flight, unrecorded, by a lane that lost its lease';

/**
 * Messages left in flight by another holder of the number: a stopped process's (at a lane's start,
 * every one), or those of a lane that lost its lease and never recorded its round (`markedBefore`:
 * only those marked before then). Their outcome is unknown (Meta may or may not have them): they
 * are recorded as such and retried after a grace period in which Meta's status, if Meta had them,
 * marks them sent (see dispatch/trace.ts).
 */
export async function recoverInFlight(sql: Sql, phoneNumberId: string, now: Date, graceMs: number, markedBefore?: Date): Promise<number> {
  return sql.begin(async (tx) => {
    const rows = await tx<{ message_id: string; attempts: number; since: Date }[]>`
      update send_queue set in_flight_since = null, attempts = attempts + 1,
        available_at = ${new Date(now.getTime() + graceMs)}
      where phone_number_id = ${phoneNumberId} and in_flight_since is not null
        ${markedBefore ? tx`and in_flight_since <= ${markedBefore}` : tx``}
      returning message_id::text, attempts, in_flight_since as since`;
    if (rows.length > 0) {
      await tx`
        insert into message_attempts (message_id, attempt, started_at, finished_at, outcome, response)
        select id, attempt, ${now}, ${now}, 'unknown', ${JSON.stringify({ reason: markedBefore ? STALE_REASON : STOPPED_REASON })}::text::jsonb
        from unnest(${rows.map((r) => r.message_id)}::bigint[], ${rows.map((r) => r.attempts)}::smallint[]) as t(id, attempt)`;
      await tx`update messages set attempts = attempts + 1 where id = any(${rows.map((r) => r.message_id)}::bigint[])`;
    }
    return rows.length;
  });
}

/**
 * Numbers with queued work, for the safety-net sweep (a loose index scan: one probe per number).
 * Planned at each run, not prepared: a prepared statement without parameters keeps its first plan,
 * and one made while send_queue was empty scans the whole table for every number — 4.8 s for
 * 1,000 numbers and 60,000 queued rows, against 6 ms planned afresh (measured; it stalled the
 * benchmark's 1,000-numbers point for seconds). The planner sizes the table when it plans.
 */
export async function numbersWithWork(sql: Sql): Promise<string[]> {
  const rows = await sql<{ p: string }[]>`
    with recursive t as (
      select min(phone_number_id) as p from send_queue
      union all
      select (select min(phone_number_id) from send_queue where phone_number_id > t.p) from t where t.p is not null
    )
    select p from t where p is not null`.simple();
  return rows.map((r) => r.p);
}
