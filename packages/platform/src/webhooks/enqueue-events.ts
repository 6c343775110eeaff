/**
 * Queues events owed to tenants. Called inside the caller's transaction so an event exists if and
 * only if the change that caused it was committed; the NOTIFY that wakes the delivery workers is
 * sent in the same transaction, so PostgreSQL delivers it only on commit.
 *
 * The destination URL is resolved here (phone-number override → WABA override → tenant default)
 * and stored with the event: a later configuration change does not move events already queued.
 * Events of a WABA the tenant unsubscribed (DELETE /{waba-id}/subscribed_apps) are not owed and
 * not stored; events for which the tenant has no URL at all are stored as dead, so they can be
 * inspected and replayed once a URL is set.
 */
import type { TransactionSql } from 'postgres';
import { MAX_NOTIFY_PAYLOAD, WEBHOOK_CHANNEL } from './channel.js';
import { withUrls } from './sql/resolve-urls.js';

export interface TenantEvent {
  tenantId: string;
  wabaId: string;
  phoneNumberId?: string;
  /** Meta's webhook field ("messages", "message_template_status_update", …). */
  field: string;
  /** The change value exactly as the tenant receives it (platform ids already substituted). */
  value: unknown;
  /** Events with the same key are delivered in order (e.g. "{phone_number_id}:{wa_id}"). */
  orderingKey: string;
}

export const NO_URL_ERROR = 'No webhook URL was configured for this event (PUT /api/v1/webhooks), so it was not sent; replay it once one is set.';

/**
 * @param now the platform clock's time (ctx.clock.now()); it stamps created_at and entry.time.
 *   Without it the transaction's start time is used, which a virtual clock in tests cannot move.
 *
 * @example
 *   await ctx.sql.begin(async (tx) => {
 *     await enqueueTenantEvents(tx, [{ tenantId, wabaId, phoneNumberId, field: 'messages', value, orderingKey: `${phoneNumberId}:${waId}` }], new Date(ctx.clock.now()));
 *   });
 */
export async function enqueueTenantEvents(tx: TransactionSql, events: TenantEvent[], now?: Date | number): Promise<void> {
  if (events.length === 0) return;
  const at = now === undefined ? null : new Date(now);
  // The batch as one JSON parameter (no per-array escaping); `value` comes out as the JSON text it
  // was, keys in order.
  const input = JSON.stringify(
    events.map((e, ord) => ({
      tenant_id: e.tenantId,
      waba_id: e.wabaId,
      phone_number_id: e.phoneNumberId ?? null,
      field: e.field,
      value: e.value ?? null,
      ordering_key: e.orderingKey,
      ord,
    })),
  );
  // Where each event goes; one fragment per statement, so both statements resolve the same way.
  const resolved = () =>
    withUrls(
      tx,
      tx`select * from json_to_recordset(${input}::text::json)
           as t(tenant_id uuid, waba_id text, phone_number_id text, field text, value json, ordering_key text, ord int)`,
    );
  // Usually one statement: every URL already has its destination row. A URL seen for the first
  // time needs one inserted first, in a statement of its own (a row another transaction inserts
  // concurrently is visible to the next statement under read committed, never to this one), and
  // then the events are inserted. Bounded: only a configuration change racing this transaction
  // makes a second round necessary.
  for (let round = 0; round < 5; round++) {
    if (await insertEvents(tx, resolved(), at)) return;
    await tx`
      insert into webhook_destinations (tenant_id, url)
      select distinct tenant_id, url from (${resolved()}) r where r.subscribed and r.url is not null
      on conflict (tenant_id, url) do nothing`;
  }
  throw new Error('webhook destinations kept changing while events were queued');
}

/**
 * Inserts the events, the queue rows of those with a destination (webhook_pending), and NOTIFYs
 * their destinations; false (nothing inserted) when a URL has no destination row yet.
 */
async function insertEvents(tx: TransactionSql, resolved: ReturnType<typeof withUrls>, at: Date | null): Promise<boolean> {
  // Identity values follow the ORDER BY of an INSERT … SELECT, so ids keep the caller's order.
  const [row] = await tx<{ missing: boolean }[]>`
    with r as materialized (
      select r.*, d.id as destination_id
      from (${resolved}) r
      left join webhook_destinations d on d.tenant_id = r.tenant_id and d.url = r.url
      where r.subscribed),
    missing as (select from r where r.url is not null and r.destination_id is null limit 1),
    inserted as (
      insert into webhook_events (tenant_id, waba_id, phone_number_id, field, value, ordering_key,
                                  destination_id, state, created_at, dead_at, last_error)
      select r.tenant_id, r.waba_id, r.phone_number_id, r.field, coalesce(r.value, 'null'::json), r.ordering_key, r.destination_id,
             case when r.destination_id is null then 'dead' else 'pending' end,
             coalesce(${at}::timestamptz, now()),
             case when r.destination_id is null then coalesce(${at}::timestamptz, now()) end,
             case when r.destination_id is null then ${NO_URL_ERROR} end
      from r
      where not exists (select from missing)
      order by r.ord
      returning id, destination_id, tenant_id, ordering_key, state),
    queued as (
      insert into webhook_pending (event_id, destination_id, tenant_id, ordering_key)
      select id, destination_id, tenant_id, ordering_key from inserted where state = 'pending'),
    notified as (
      select pg_notify(${WEBHOOK_CHANNEL}, case when length(ids) > ${MAX_NOTIFY_PAYLOAD} then '' else ids end)
      from (select string_agg(distinct destination_id::text, ',') as ids from inserted) n
      where ids is not null)
    select exists (select from missing) as missing, (select count(*) from notified) as notified`;
  return row?.missing === false;
}
