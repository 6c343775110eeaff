/**
 * Parks dispatch for some numbers while their accept path is measured: the benchmark holds their
 * send leases, exactly as another platform process would (the dispatcher sends from a number only
 * while it holds that number's PostgreSQL advisory lock, messaging/dispatch/dispatcher.ts). The
 * platform then accepts and queues at full speed and sends nothing from these numbers, so the
 * accept figures are the accept path's alone; end to end measures everything together.
 *
 * The lock key mirrors the dispatcher's (namespace "SWSQ", hashtext of the number id). If it ever
 * changes, the dispatcher would send from parked numbers: `dispatchedFrom` tells, and the
 * orchestrator refuses such a run rather than report a mixed figure.
 */
import type { ReservedSql } from 'postgres';
import type { Sql } from './postgres.js';

const LEASE_NAMESPACE = 0x53575351;

export interface Parked {
  release(): Promise<void>;
}

export async function parkDispatch(sql: Sql, phoneNumberIds: string[], timeoutMs = 30_000): Promise<Parked> {
  const conn: ReservedSql = await sql.reserve();
  let waiting = [...phoneNumberIds];
  const until = Date.now() + timeoutMs;
  while (waiting.length > 0) {
    const rows = await conn<{ id: string; locked: boolean }[]>`
      select id, pg_try_advisory_lock(${LEASE_NAMESPACE}, hashtext(id)) as locked from unnest(${waiting}::text[]) as id`;
    waiting = rows.filter((r) => !r.locked).map((r) => r.id);
    if (waiting.length === 0) break;
    // The platform holds some (a lane with work); idle lanes give their lease back.
    if (Date.now() > until) {
      conn.release();
      throw new Error(`could not take the send leases of ${waiting.length} numbers within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    async release() {
      await conn`select pg_advisory_unlock_all()`;
      conn.release();
    },
  };
}

/** Attempts to send from these numbers since `since` (0 while they are parked). */
export async function dispatchedFrom(sql: Sql, phoneNumberIds: string[], since: Date): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from message_attempts a join messages m on m.id = a.message_id
    where m.phone_number_id = any(${phoneNumberIds}::text[]) and a.started_at >= ${since}`;
  return row!.n;
}

/** Empties the queue of parked numbers (their messages stay stored), so phases do not add up. */
export async function dropQueued(sql: Sql, phoneNumberIds: string[]): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    with dropped as (delete from send_queue where phone_number_id = any(${phoneNumberIds}::text[]) returning 1)
    select count(*)::int as n from dropped`;
  return row!.n;
}
