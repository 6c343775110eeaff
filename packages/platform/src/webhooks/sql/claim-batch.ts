/**
 * The next events of a destination, oldest first. No row locks: the caller holds the destination's
 * advisory lock, so no one else sends from this queue.
 *
 * Order per conversation: an event is held back while an earlier event with the same ordering key
 * is undelivered on another destination (its URL was resolved before a configuration change).
 * Earlier events of the same key on this destination come first in id order, so whenever an event
 * is in the batch, every earlier event of its key is too.
 */
import type { Sql } from 'postgres';

export interface ClaimedEvent {
  id: string;
  event_id: string;
  waba_id: string;
  field: string;
  /** The value as stored: compact JSON text, spliced into the body as it is. */
  value_json: string;
  ordering_key: string;
  created_at: Date;
}

export async function claimBatch(sql: Sql, destinationId: string, limit: number): Promise<ClaimedEvent[]> {
  return sql<ClaimedEvent[]>`
    select e.id::text as id, e.event_id::text as event_id, e.waba_id, e.field, e.value::text as value_json, e.ordering_key, e.created_at
    from webhook_events e
    where e.destination_id = ${destinationId} and e.state = 'pending'
      and not exists (
        select 1 from webhook_events p
        where p.tenant_id = e.tenant_id and p.ordering_key = e.ordering_key and p.state = 'pending'
          and p.id < e.id and p.destination_id <> e.destination_id)
    order by e.id
    limit ${limit}`;
}
