/**
 * The sweep's view: every destination with undelivered events, when it may next be tried, and
 * the creation time of its oldest undelivered event (for the lag gauge). One index probe per
 * destination (webhook_pending_queue).
 */
import type { Sql } from 'postgres';

export interface QueuedDestination {
  id: string;
  retry_at: Date | null;
  oldest: Date;
}

export async function queuedDestinations(sql: Sql): Promise<QueuedDestination[]> {
  // Planned at each run, not prepared (see numbersWithWork in messaging/sql/claim-batch.ts).
  return sql<QueuedDestination[]>`
    select d.id::text as id, d.retry_at, h.created_at as oldest
    from webhook_destinations d
    cross join lateral (
      select e.created_at from webhook_pending q join webhook_events e on e.id = q.event_id
      where q.destination_id = d.id
      order by q.event_id limit 1) h`.simple();
}

export interface Destination {
  id: string;
  tenant_id: string;
  url: string;
  failures: number;
  retry_at: Date | null;
  secret_enc: Buffer;
}

export async function loadDestination(sql: Sql, id: string): Promise<Destination | undefined> {
  const [row] = await sql<Destination[]>`
    select d.id::text as id, d.tenant_id, d.url, d.failures, d.retry_at, t.webhook_secret_enc as secret_enc
    from webhook_destinations d join tenants t on t.id = d.tenant_id
    where d.id = ${id}`;
  return row;
}
