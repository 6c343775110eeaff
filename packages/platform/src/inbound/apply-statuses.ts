/**
 * Applies Meta's status updates to outbound messages: deduplicated per (message, status), moved
 * forward only, and queued for the tenant with the platform's wamid in place of Meta's and the
 * tenant's own biz_opaque_callback_data in place of the platform's trace. A status for an id not
 * recorded yet (it overtook the dispatcher's bookkeeping, or the attempt's outcome was unknown) is
 * matched through the trace (dispatch/trace.ts), which also records Meta's id and takes a message
 * waiting to be tried again off the send queue; one without a trace waits in pending_statuses until
 * the id appears.
 */
import type { TransactionSql } from 'postgres';
import { tracedWamid } from '../messaging/dispatch/trace.js';
import { SEND_CHANNEL } from '../messaging/sql/insert-accepted.js';
import { enqueueTenantEvents, type TenantEvent } from '../webhooks/enqueue-events.js';
import { rank } from './status-rank.js';

export interface MetaStatus {
  id: string;
  status: string;
  timestamp?: string;
  recipient_id?: string;
  pricing?: unknown;
  errors?: unknown;
  [key: string]: unknown;
}

export interface StatusContext {
  phoneNumberId: string;
  wabaId: string;
  metadata: unknown;
}

export async function applyStatuses(tx: TransactionSql, context: StatusContext, statuses: MetaStatus[], now: Date): Promise<void> {
  const valid = statuses.filter((s) => typeof s?.id === 'string' && typeof s.status === 'string' && rank(s.status) >= 0);
  if (valid.length === 0) return;
  const rows = await tx<StatusRow[]>`
    select id::text as id, wamid, meta_wamid, tenant_id, recipient, status, body->>'biz_opaque_callback_data' as opaque from messages
    where meta_wamid = any(${[...new Set(valid.map((s) => s.id))]}::text[])
    -- Rows are locked in id order, as the dispatcher's bookkeeping locks them: no deadlock between the two.
    order by messages.id for update`;
  const byMeta = new Map(rows.map((r) => [r.meta_wamid, r]));
  // Statuses that overtook the bookkeeping, or prove an attempt with an unknown outcome reached Meta.
  const traced = valid.filter((s) => !byMeta.has(s.id) && tracedWamid(s.biz_opaque_callback_data));
  if (traced.length > 0) {
    const claimed = await tx<StatusRow[]>`
      update messages m set meta_wamid = v.meta, status = case when m.status = 'accepted' then 'dispatched' else m.status end
      from unnest(${traced.map((s) => tracedWamid(s.biz_opaque_callback_data)!)}::text[], ${traced.map((s) => s.id)}::text[]) as v(wamid, meta)
      where m.wamid = v.wamid and m.meta_wamid is null
      returning m.id::text as id, m.wamid, m.meta_wamid, m.tenant_id, m.recipient, m.status, m.body->>'biz_opaque_callback_data' as opaque`;
    for (const r of claimed) byMeta.set(r.meta_wamid, r);
    // Meta has them: one waiting to be tried again after an unknown outcome needs no further
    // attempt, and the messages of its conversation behind it may go now (their lane is woken).
    // Not one in flight: its lane records it (a status overtaking the bookkeeping).
    if (claimed.length > 0) {
      await tx`
        with done as (
          delete from send_queue where message_id = any(${claimed.map((r) => r.id)}::bigint[]) and in_flight_since is null
          returning phone_number_id
        )
        select pg_notify(${SEND_CHANNEL}, n.phone_number_id) from (select distinct phone_number_id from done) n`;
    }
  }
  const unknown = valid.filter((s) => !byMeta.has(s.id));
  if (unknown.length > 0) {
    await tx`
      insert into pending_statuses (meta_wamid, status, received_at)
      select id, status::jsonb, at from unnest(${unknown.map((s) => s.id)}::text[], ${unknown.map((s) => JSON.stringify({ ...s, _context: context }))}::text[],
                           ${unknown.map(() => now.toISOString())}::timestamptz[]) as t(id, status, at)`;
  }
  const known = valid.filter((s) => byMeta.has(s.id));
  if (known.length === 0) return;

  const at = (s: MetaStatus) => (s.timestamp && /^\d+$/.test(s.timestamp) ? new Date(Number(s.timestamp) * 1000) : now);
  const inserted = await tx<{ message_id: string; status: string }[]>`
    insert into message_statuses (message_id, status, at, pricing, errors)
    select id, status, at, pricing::jsonb, errors::jsonb from unnest(
      ${known.map((s) => byMeta.get(s.id)!.id)}::bigint[], ${known.map((s) => s.status)}::text[], ${known.map((s) => at(s).toISOString())}::timestamptz[],
      ${known.map((s) => (s.pricing === undefined ? null : JSON.stringify(s.pricing)))}::text[],
      ${known.map((s) => (s.errors === undefined ? null : JSON.stringify(s.errors)))}::text[]) as t(id, status, at, pricing, errors)
    on conflict do nothing
    returning message_id::text, status`;
  const fresh = new Set(inserted.map((r) => `${r.message_id} ${r.status}`));

  // Forward only: the highest-ranked new status per message, if above the current one.
  const best = new Map<string, string>();
  for (const s of known) {
    const row = byMeta.get(s.id)!;
    const current = best.get(row.id) ?? row.status;
    if (rank(s.status) > rank(current)) best.set(row.id, s.status);
  }
  if (best.size > 0) {
    await tx`
      update messages m set status = v.status, updated_at = ${now},
        error = case when v.status = 'failed' then coalesce(m.error, v.errors::jsonb) else m.error end
      from unnest(${[...best.keys()]}::bigint[], ${[...best.values()]}::text[],
                  ${[...best.keys()].map((id) => errorsOf(known, byMeta, id))}::text[]) as v(id, status, errors)
      where m.id = v.id`;
  }

  const events: TenantEvent[] = [];
  for (const s of known) {
    const row = byMeta.get(s.id)!;
    if (!fresh.delete(`${row.id} ${s.status}`)) continue;
    events.push({
      tenantId: row.tenant_id,
      wabaId: context.wabaId,
      phoneNumberId: context.phoneNumberId,
      field: 'messages',
      orderingKey: `${context.phoneNumberId}:${row.recipient}`,
      value: { messaging_product: 'whatsapp', metadata: context.metadata, statuses: [forTenant(s, row)] },
    });
  }
  await enqueueTenantEvents(tx, events, now);
}

interface StatusRow {
  id: string;
  wamid: string;
  meta_wamid: string;
  tenant_id: string;
  recipient: string;
  status: string;
  opaque: string | null;
}

/** The status as the tenant sees it: its wamid, its own callback data, never the platform's trace. */
function forTenant(s: MetaStatus, row: StatusRow): MetaStatus {
  const { biz_opaque_callback_data: _trace, ...rest } = s;
  return { ...rest, id: row.wamid, ...(row.opaque !== null ? { biz_opaque_callback_data: row.opaque } : {}) };
}

function errorsOf(statuses: MetaStatus[], byMeta: Map<string, { id: string }>, id: string): string | null {
  const failed = statuses.find((s) => s.status === 'failed' && byMeta.get(s.id)?.id === id);
  return failed?.errors === undefined ? null : JSON.stringify({ errors: failed.errors });
}

/** Statuses that waited for their message's Meta id, now that it may be recorded. */
export async function applyPendingStatuses(tx: TransactionSql, now: Date): Promise<number> {
  // Planned at each run, not prepared: a plan cached while `messages` was small would join it by
  // scanning it (see numbersWithWork in messaging/sql/claim-batch.ts).
  const rows = await tx<{ status: MetaStatus & { _context: StatusContext } }[]>`
    delete from pending_statuses p using messages m
    where m.meta_wamid = p.meta_wamid
    returning p.status`.simple();
  const byContext = new Map<string, { context: StatusContext; statuses: MetaStatus[] }>();
  for (const { status } of rows) {
    const { _context: context, ...rest } = status;
    const key = `${context.phoneNumberId} ${context.wabaId}`;
    const group = byContext.get(key) ?? { context, statuses: [] };
    group.statuses.push(rest);
    byContext.set(key, group);
  }
  for (const { context, statuses } of byContext.values()) {
    statuses.sort((a, b) => rank(a.status) - rank(b.status));
    await applyStatuses(tx, context, statuses, now);
  }
  return rows.length;
}
