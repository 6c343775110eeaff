/**
 * Reads of the delivery record for /api/v1: events (newest first), one event with every POST that
 * carried it, and the delivery log. `tenantId: null` is the operator reading across tenants.
 */
import type { Sql } from 'postgres';

export interface EventRow {
  seq: string;
  id: string;
  tenant_id: string;
  waba_id: string;
  phone_number_id: string | null;
  field: string;
  ordering_key: string;
  state: 'pending' | 'delivered' | 'dead';
  url: string | null;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
  dead_at: Date | null;
  value: unknown;
}

export interface EventFilter {
  tenantId: string | null;
  state?: string | undefined;
  since?: Date | undefined;
  wabaId?: string | undefined;
  field?: string | undefined;
  /** Internal sequence of the last item of the previous page. */
  before?: string | undefined;
  limit: number;
}

function eventColumns(sql: Sql) {
  return sql`
    e.id::text as seq, e.event_id::text as id, e.tenant_id, e.waba_id, e.phone_number_id, e.field, e.ordering_key, e.state,
    d.url, e.attempts, case when e.state = 'pending' then d.retry_at end as next_attempt_at, e.last_error,
    e.created_at, e.delivered_at, e.dead_at, e.value`;
}

export async function listEvents(sql: Sql, f: EventFilter): Promise<EventRow[]> {
  return sql<EventRow[]>`
    select ${eventColumns(sql)}
    from webhook_events e left join webhook_destinations d on d.id = e.destination_id
    where true
      ${f.tenantId !== null ? sql`and e.tenant_id = ${f.tenantId}` : sql``}
      ${f.state !== undefined ? sql`and e.state = ${f.state}` : sql``}
      ${f.since !== undefined ? sql`and e.created_at >= ${f.since}` : sql``}
      ${f.wabaId !== undefined ? sql`and e.waba_id = ${f.wabaId}` : sql``}
      ${f.field !== undefined ? sql`and e.field = ${f.field}` : sql``}
      ${f.before !== undefined ? sql`and e.id < ${f.before}::bigint` : sql``}
    order by e.id desc
    limit ${f.limit}`;
}

export async function findEvent(sql: Sql, tenantId: string | null, eventId: string): Promise<EventRow | undefined> {
  const [row] = await sql<EventRow[]>`
    select ${eventColumns(sql)}
    from webhook_events e left join webhook_destinations d on d.id = e.destination_id
    where e.event_id = ${eventId}::uuid ${tenantId !== null ? sql`and e.tenant_id = ${tenantId}` : sql``}`;
  return row;
}

export interface AttemptRow {
  id: string;
  tenant_id: string;
  url: string;
  started_at: Date;
  duration_ms: number;
  outcome: 'delivered' | 'failed' | 'timeout';
  status_code: number | null;
  error: string | null;
  event_count: number;
}

const MAX_ATTEMPTS_SHOWN = 500;

export async function attemptsOfEvent(sql: Sql, seq: string): Promise<AttemptRow[]> {
  return sql<AttemptRow[]>`
    select a.id::text as id, a.tenant_id, a.url, a.started_at, a.duration_ms, a.outcome, a.status_code, a.error, a.event_count
    from webhook_attempts a
    where a.id = any((select attempt_ids from webhook_events where id = ${seq}::bigint)::bigint[])
    order by a.id
    limit ${MAX_ATTEMPTS_SHOWN}`;
}

export interface DeliveryFilter {
  tenantId: string | null;
  outcome?: string | undefined;
  since?: Date | undefined;
  before?: string | undefined;
  limit: number;
}

export async function listDeliveries(sql: Sql, f: DeliveryFilter): Promise<Array<AttemptRow & { event_ids: string[] }>> {
  return sql<Array<AttemptRow & { event_ids: string[] }>>`
    select a.id::text as id, a.tenant_id, a.url, a.started_at, a.duration_ms, a.outcome, a.status_code, a.error, a.event_count,
      array(select e.event_id::text from webhook_events e where e.id = any(a.event_ids) order by e.id) as event_ids
    from webhook_attempts a
    where true
      ${f.tenantId !== null ? sql`and a.tenant_id = ${f.tenantId}` : sql``}
      ${f.outcome !== undefined ? sql`and a.outcome = ${f.outcome}` : sql``}
      ${f.since !== undefined ? sql`and a.started_at >= ${f.since}` : sql``}
      ${f.before !== undefined ? sql`and a.id < ${f.before}::bigint` : sql``}
    order by a.id desc
    limit ${f.limit}`;
}
