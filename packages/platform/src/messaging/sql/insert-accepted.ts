/**
 * Commits a batch of accepted messages: the history rows, their queue rows and one NOTIFY per phone
 * number, so a dispatcher wakes exactly when there is committed work. One statement, so outside a
 * transaction it is its own (one round trip for a whole group commit), and the batch travels as a
 * single JSON parameter (sent as text: typed json, postgres.js would encode it again): serialising it is one native JSON.stringify instead of escaping a
 * PostgreSQL array per column (the accept benchmark's profile showed the arrays at a tenth of a
 * send's CPU). Idempotency-key conflicts are skipped here and resolved by the caller.
 *
 * Rows without an Idempotency-Key are inserted apart from those with one: ON CONFLICT makes every
 * row a speculative insertion (a token lock, then a second WAL record confirming the row), which a
 * row that cannot conflict does not need — one WAL record a message fewer (`npm run bench -- --wal`).
 */
import type { Sql, TransactionSql } from 'postgres';
import { HOLD_CHANNEL } from '../../limits/hold-channel.js';

export interface AcceptRow {
  wamid: string;
  tenantId: string;
  phoneNumberId: string;
  recipient: string;
  type: string;
  /** The Cloud API request as sent to Meta (a JSON value; stored as jsonb). */
  body: unknown;
  idempotencyKey: string | null;
  requestHash: Buffer | null;
  /** Held back by the messaging limit (the tenant's over-limit choice 'hold'). */
  held?: boolean;
  /** When the message is dropped if it is still queued (its time to live); none if absent. */
  expiresAt?: Date;
}

export const SEND_CHANNEL = 'switchboard_send';

/**
 * Returns the wamids that were inserted (those missing hit an idempotency key already stored).
 * Given `sql`, the statement commits on its own; given a transaction (the inbound processor queues
 * keyword confirmations with the message that triggered them), it commits with it. Rows with
 * `held` wait in the queue for the messaging limit (limits/release-held.ts) and wake the releaser
 * instead of the dispatcher.
 */
export async function insertAccepted(sql: Sql | TransactionSql, rows: AcceptRow[], now: Date): Promise<Set<string>> {
  const input = JSON.stringify(
    rows.map((r) => ({
      wamid: r.wamid,
      tenant_id: r.tenantId,
      phone_number_id: r.phoneNumberId,
      recipient: r.recipient,
      type: r.type,
      body: r.body,
      idempotency_key: r.idempotencyKey,
      request_hash: r.requestHash ? `\\x${r.requestHash.toString('hex')}` : null,
      held: r.held === true,
      expires_at: r.expiresAt ? r.expiresAt.toISOString() : null,
    })),
  );
  const inserted = await sql<{ wamid: string | null }[]>`
    with input as (
      select * from json_to_recordset(${input}::text::json) as t(
        wamid text, tenant_id uuid, phone_number_id text, recipient text, type text, body jsonb,
        idempotency_key text, request_hash text, held boolean, expires_at timestamptz)
    ), unkeyed as (
      insert into messages (wamid, tenant_id, phone_number_id, recipient, type, body, idempotency_key, request_hash, created_at, updated_at)
      select wamid, tenant_id, phone_number_id, recipient, type, body, null, null, ${now}, ${now} from input where idempotency_key is null
      returning id, wamid, phone_number_id, recipient
    ), keyed as (
      insert into messages (wamid, tenant_id, phone_number_id, recipient, type, body, idempotency_key, request_hash, created_at, updated_at)
      select wamid, tenant_id, phone_number_id, recipient, type, body, idempotency_key, request_hash::bytea, ${now}, ${now} from input where idempotency_key is not null
      on conflict (tenant_id, idempotency_key) where idempotency_key is not null do nothing
      returning id, wamid, phone_number_id, recipient
    ), stored as (
      select * from unkeyed union all select * from keyed
    ), queued as (
      insert into send_queue (message_id, phone_number_id, recipient, available_at, held_reason, expires_at)
      select s.id, s.phone_number_id, s.recipient, ${now}, case when i.held then 'messaging_limit' end, i.expires_at
      from stored s join input i on i.wamid = s.wamid
    ), woken as (
      select pg_notify(${SEND_CHANNEL}, n.phone_number_id) from (select distinct phone_number_id from stored) n
      union all
      select pg_notify(${HOLD_CHANNEL}, '') where exists (select from stored s join input i on i.wamid = s.wamid where i.held)
    )
    select wamid from stored
    union all
    select null from woken`;
  const wamids = new Set<string>();
  for (const r of inserted) if (r.wamid !== null) wamids.add(r.wamid);
  return wamids;
}
