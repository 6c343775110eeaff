/**
 * Puts delivered or dead events back in the queue (replay). Each event's URL is resolved again,
 * so events dead-lettered at a broken URL go to the one configured now; an event for which no URL
 * resolves stays as it is; an event still pending is left in place (its destination is just tried
 * now). Returns how many were queued again (each has its row in webhook_pending once more). The events keep their ids, so receivers that already
 * have one see a duplicate they can recognise.
 */
import type { Sql } from 'postgres';
import { MAX_NOTIFY_PAYLOAD, WEBHOOK_CHANNEL } from '../channel.js';
import { withUrls } from './resolve-urls.js';

export async function requeueEvents(sql: Sql, seqs: string[]): Promise<number> {
  if (seqs.length === 0) return 0;
  return sql.begin(async (tx) => {
    const resolved = () =>
      withUrls(
        tx,
        tx`select id, tenant_id, waba_id, phone_number_id, field from webhook_events
           where id = any(${seqs}::bigint[]) and state <> 'pending' for update`,
      );
    await tx`
      insert into webhook_destinations (tenant_id, url)
      select distinct tenant_id, url from (${resolved()}) r where r.url is not null
      on conflict (tenant_id, url) do nothing`;
    // The destinations of the replayed events (and of replayed events still pending) are tried
    // now rather than at their backoff time: a replay usually follows a fix on the receiver.
    const [row] = await tx<{ n: number }[]>`
      with requeued as (
        update webhook_events e set state = 'pending', destination_id = d.id, first_failed_at = null,
          delivered_at = null, dead_at = null, last_error = null
        from (${resolved()}) r join webhook_destinations d on d.tenant_id = r.tenant_id and d.url = r.url
        where e.id = r.id
        returning e.id, e.destination_id, e.tenant_id, e.ordering_key),
      queued as (
        insert into webhook_pending (event_id, destination_id, tenant_id, ordering_key)
        select id, destination_id, tenant_id, ordering_key from requeued),
      hurried as (
        update webhook_destinations set retry_at = null
        where id in (select destination_id from requeued
                     union select destination_id from webhook_pending where event_id = any(${seqs}::bigint[]))
        returning id),
      notify as (
        select pg_notify(${WEBHOOK_CHANNEL}, case when length(ids) > ${MAX_NOTIFY_PAYLOAD} then '' else ids end)
        from (select string_agg(id::text, ',') as ids from hurried) n
        where ids is not null)
      select (select count(*)::int from requeued) as n, (select count(*) from notify) as notified`;
    return row?.n ?? 0;
  });
}

/** Internal ids of a tenant's dead events (dead_at is set exactly while an event is dead), oldest first, for bulk replay. */
export async function deadEventSeqs(
  sql: Sql,
  tenantId: string,
  f: { since?: Date | undefined; until?: Date | undefined; wabaId?: string | undefined; limit: number },
): Promise<string[]> {
  const rows = await sql<{ seq: string }[]>`
    select id::text as seq from webhook_events
    where tenant_id = ${tenantId} and dead_at is not null
      ${f.since !== undefined ? sql`and created_at >= ${f.since}` : sql``}
      ${f.until !== undefined ? sql`and created_at < ${f.until}` : sql``}
      ${f.wabaId !== undefined ? sql`and waba_id = ${f.wabaId}` : sql``}
    order by id
    limit ${f.limit}`;
  return rows.map((r) => r.seq);
}
