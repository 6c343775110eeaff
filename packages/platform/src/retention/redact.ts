/**
 * Content retention: when the operator sets a number of days (SWITCHBOARD_RETENTION_MESSAGE_CONTENT_DAYS),
 * what users and businesses wrote is removed from messages older than that; the record that a
 * message existed, where it went and what became of it (statuses, pricing, attempts) is kept for
 * history and billing. Unset, content is kept.
 *
 * - A sent message's body keeps `messaging_product`, `recipient_type`, `to`, `type`, `context`
 *   (the id replied to), the tenant's `biz_opaque_callback_data` (a late status still carries it)
 *   and a template's `name` and `language`; text, media, parameters and the rest go.
 * - A received message keeps `from`, `id`, `timestamp`, `type` and `context`.
 * - Both get `content_redacted_at`.
 *
 * A message still queued keeps its body until it leaves the queue (it is needed to send it): it is
 * remembered in its mark's `waiting` list and redacted at a later run. Each table keeps a mark
 * (retention_marks): a run reads only rows past it, from the oldest, up to the first row inside the
 * retention (ids grow with time), in batches of BATCH, each one short statement.
 */
import type { PendingQuery, Row } from 'postgres';
import type { Sql } from '../db/connect.js';
import { BATCH } from './prune.js';

const DAY_MS = 24 * 3_600_000;
/**
 * At least a month: Meta's longest time to live for a message is 30 days, so by then a message
 * has been sent or has failed, and its statuses have come.
 */
export const MIN_MESSAGE_CONTENT_DAYS = 31;

export interface Redacted {
  messages: number;
  inboundMessages: number;
}

interface Table {
  /** Its mark's name, and the table. */
  name: 'messages' | 'inbound_messages';
  timeColumn: string;
  /** The body with the content removed. */
  redactedBody: (sql: Sql) => PendingQuery<Row[]>;
  /** True while a row must keep its body (aliased `m`). */
  waits: (sql: Sql) => PendingQuery<Row[]>;
}

const MESSAGES: Table = {
  name: 'messages',
  timeColumn: 'created_at',
  redactedBody: (sql) => sql`
    jsonb_strip_nulls(jsonb_build_object(
      'messaging_product', m.body -> 'messaging_product', 'recipient_type', m.body -> 'recipient_type', 'to', m.body -> 'to',
      'type', m.body -> 'type', 'context', m.body -> 'context', 'biz_opaque_callback_data', m.body -> 'biz_opaque_callback_data',
      'template', case when jsonb_typeof(m.body -> 'template') = 'object'
        then jsonb_build_object('name', m.body -> 'template' -> 'name', 'language', m.body -> 'template' -> 'language') end))`,
  waits: (sql) => sql`exists (select from send_queue q where q.message_id = m.id)`,
};

const INBOUND_MESSAGES: Table = {
  name: 'inbound_messages',
  timeColumn: 'received_at',
  redactedBody: (sql) => sql`
    jsonb_strip_nulls(jsonb_build_object(
      'from', m.body -> 'from', 'id', m.body -> 'id', 'timestamp', m.body -> 'timestamp', 'type', m.body -> 'type', 'context', m.body -> 'context'))`,
  waits: (sql) => sql`false`,
};

/** Redacts every message older than `days` at `now`; returns how many of each kind were redacted. */
export async function redactExpiredContent(sql: Sql, days: number, now: number): Promise<Redacted> {
  const cutoff = new Date(now - days * DAY_MS);
  const at = new Date(now);
  return {
    messages: await redactTable(sql, MESSAGES, cutoff, at),
    inboundMessages: await redactTable(sql, INBOUND_MESSAGES, cutoff, at),
  };
}

async function redactTable(sql: Sql, table: Table, cutoff: Date, at: Date): Promise<number> {
  let total = await redactWaiting(sql, table, at);
  const [mark] = await sql<{ mark_id: string; upper: string | null }[]>`
    with mark as (select coalesce((select last_id from retention_marks where name = ${table.name}), 0) as id)
    select (select id from mark)::text as mark_id,
      coalesce(
        (select t.id from ${sql(table.name)} t, mark where t.id > mark.id and t.${sql(table.timeColumn)} >= ${cutoff} order by t.id limit 1),
        (select max(id) + 1 from ${sql(table.name)}))::text as upper`;
  if (!mark?.upper) return total;
  let from = mark.mark_id;
  for (;;) {
    const [batch] = await sql<{ last: string | null; scanned: number; redacted: number }[]>`
      with batch as (
        select m.id, ${table.waits(sql)} as waits
        from ${sql(table.name)} m
        where m.id > ${from}::bigint and m.id < ${mark.upper}::bigint
        order by m.id limit ${BATCH}),
      redacted as (${redactRows(sql, table, 'batch', at)}),
      marked as (
        insert into retention_marks as r (name, last_id, waiting)
        select ${table.name}, max(id), coalesce(array_agg(id) filter (where waits), '{}') from batch having count(*) > 0
        on conflict (name) do update set
          last_id = greatest(r.last_id, excluded.last_id),
          waiting = array(select distinct unnest(r.waiting || excluded.waiting)))
      select (select max(id) from batch)::text as last, (select count(*) from batch)::int as scanned,
             (select count(*) from redacted)::int as redacted`;
    total += batch!.redacted;
    if (batch!.scanned < BATCH || batch!.last === null) return total;
    from = batch!.last;
  }
}

/**
 * The rows passed over while they had to keep their body: redacted once they need it no more, and
 * taken off the list (only those: ids another process adds meanwhile stay).
 */
async function redactWaiting(sql: Sql, table: Table, at: Date): Promise<number> {
  const [row] = await sql<{ redacted: number }[]>`
    with listed as (
      select w.id, ${table.waits(sql)} as waits
      from retention_marks r cross join unnest(r.waiting) w(id) left join ${sql(table.name)} m on m.id = w.id
      where r.name = ${table.name}),
    redacted as (${redactRows(sql, table, 'listed', at)}),
    done as (
      update retention_marks set waiting = array(
        select id from unnest(waiting) x(id) where id not in (select id from listed where not waits) order by id)
      where name = ${table.name} and exists (select from listed where not waits))
    select (select count(*) from redacted)::int as redacted`;
  return row?.redacted ?? 0;
}

/** Redacts the rows of `candidates` (a CTE of id and waits) that need their body no more. */
function redactRows(sql: Sql, table: Table, candidates: string, at: Date): PendingQuery<Row[]> {
  return sql`
    update ${sql(table.name)} m set body = ${table.redactedBody(sql)}, content_redacted_at = ${at}
    from ${sql(candidates)} c
    where m.id = c.id and not c.waits and m.content_redacted_at is null
    returning m.id`;
}
