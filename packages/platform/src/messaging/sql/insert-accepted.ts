/**
 * Commits a batch of accepted messages in one transaction: the history rows, their queue rows and
 * one NOTIFY per phone number, so a dispatcher wakes exactly when there is committed work.
 * Idempotency-key conflicts are skipped here and resolved by the caller.
 */
import type { TransactionSql } from 'postgres';
import type { Sql } from '../../db/connect.js';
import { HOLD_CHANNEL } from '../../limits/hold-channel.js';

export interface AcceptRow {
  wamid: string;
  tenantId: string;
  phoneNumberId: string;
  recipient: string;
  type: string;
  body: string;
  idempotencyKey: string | null;
  requestHash: Buffer | null;
  /** Held back by the messaging limit (the tenant's over-limit choice 'hold'). */
  held?: boolean;
}

export const SEND_CHANNEL = 'switchboard_send';

/** Returns the wamids that were inserted (those missing hit an idempotency key already stored). */
export async function insertAccepted(sql: Sql, rows: AcceptRow[], now: Date): Promise<Set<string>> {
  return sql.begin((tx) => insertAcceptedIn(tx, rows, now));
}

/**
 * The same, inside the caller's transaction (the inbound processor queues keyword confirmations
 * with the message that triggered them). Rows with `held` wait in the queue for the messaging
 * limit (limits/release-held.ts) and wake the releaser instead of the dispatcher.
 */
export async function insertAcceptedIn(tx: TransactionSql, rows: AcceptRow[], now: Date): Promise<Set<string>> {
  const inserted = await tx<{ wamid: string; phone_number_id: string }[]>`
    with input as (
      select * from unnest(
        ${rows.map((r) => r.wamid)}::text[], ${rows.map((r) => r.tenantId)}::uuid[], ${rows.map((r) => r.phoneNumberId)}::text[],
        ${rows.map((r) => r.recipient)}::text[], ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.body)}::text[],
        ${rows.map((r) => r.idempotencyKey)}::text[], ${rows.map((r) => (r.requestHash ? `\\x${r.requestHash.toString('hex')}` : null))}::text[],
        ${rows.map((r) => String(r.held === true))}::text[]::boolean[]
      ) as t(wamid, tenant_id, phone_number_id, recipient, type, body, idempotency_key, request_hash, held)
    ), stored as (
      insert into messages (wamid, tenant_id, phone_number_id, recipient, type, body, idempotency_key, request_hash, created_at, updated_at)
      select wamid, tenant_id, phone_number_id, recipient, type, body::jsonb, idempotency_key, request_hash::bytea, ${now}, ${now} from input
      on conflict (tenant_id, idempotency_key) where idempotency_key is not null do nothing
      returning id, wamid, phone_number_id, recipient
    ), queued as (
      insert into send_queue (message_id, phone_number_id, recipient, available_at, held_reason)
      select s.id, s.phone_number_id, s.recipient, ${now}, case when i.held then 'messaging_limit' end
      from stored s join input i on i.wamid = s.wamid
    )
    select wamid, phone_number_id from stored`;
  const numbers = [...new Set(inserted.map((r) => r.phone_number_id))];
  if (numbers.length > 0) await tx`select pg_notify(${SEND_CHANNEL}, n) from unnest(${numbers}::text[]) as n`;
  if (rows.some((r) => r.held === true)) await tx`select pg_notify(${HOLD_CHANNEL}, '')`;
  return new Set(inserted.map((r) => r.wamid));
}
