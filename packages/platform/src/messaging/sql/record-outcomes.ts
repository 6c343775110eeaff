/**
 * Records what Meta answered for a round of sends, in one transaction: attempts, Meta's ids,
 * reschedules, failures (with the `failed` status owed to the tenant), and releases of messages
 * that were marked in flight but not sent this round.
 */
import type { TransactionSql } from 'postgres';
import { ErrorCode, webhookError } from '@switchboard/wire';
import type { Sql } from '../../db/connect.js';
import { INBOUND_CHANNEL } from '../../inbound/processor.js';
import { enqueueTenantEvents, type TenantEvent } from '../../webhooks/enqueue-events.js';

export interface AttemptRecord {
  messageId: string;
  attempt: number;
  startedAt: Date;
  finishedAt: Date;
  httpStatus: number | null;
  metaCode: number | null;
  response: unknown;
}

export interface SentOutcome extends AttemptRecord {
  metaWamid: string;
}

export interface RetryOutcome extends AttemptRecord {
  availableAt: Date;
  outcome: 'retry' | 'unknown';
}

export interface FailedOutcome extends AttemptRecord {
  wamid: string;
  tenantId: string;
  recipient: string;
  code: number;
  details: string;
  bizOpaqueCallbackData: string | undefined;
}

/** A message whose time to live passed before it could be handed to Meta: never attempted again. */
export interface ExpiredOutcome {
  messageId: string;
  wamid: string;
  tenantId: string;
  recipient: string;
  bizOpaqueCallbackData: string | undefined;
}

export const EXPIRED_IN_QUEUE_DETAILS = 'Message failed to send because it could not be handed to Meta before its time to live passed.';

export interface RoundOutcomes {
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  sent: SentOutcome[];
  retried: RetryOutcome[];
  failed: FailedOutcome[];
  /** Dropped without an attempt: failed with 131026 (no attempt row; Meta never saw them). */
  expired?: ExpiredOutcome[];
  released: string[];
}

/**
 * @param again this round's earlier try failed with its connection, perhaps after its commit: if
 *   the round is found recorded, nothing is written twice (a second `failed` event to the tenant).
 */
export async function recordOutcomes(sql: Sql, round: RoundOutcomes, now: Date, again = false): Promise<void> {
  await sql.begin(async (tx) => {
    if (again && (await roundRecorded(tx, round))) return;
    // Lock the messages in id order first, as status processing does: the two never deadlock.
    const expired = round.expired ?? [];
    const touched = [...round.sent, ...round.retried, ...round.failed, ...expired].map((o) => o.messageId);
    if (touched.length > 0) await tx`select 1 from messages where id = any(${touched}::bigint[]) order by id for update`;
    const attempts: Array<AttemptRecord & { outcome: string }> = [
      ...round.sent.map((o) => ({ ...o, outcome: 'sent' })),
      ...round.retried.map((o) => ({ ...o, outcome: o.outcome })),
      ...round.failed.map((o) => ({ ...o, outcome: 'failed' })),
    ];
    if (attempts.length > 0) {
      await tx`
        insert into message_attempts (message_id, attempt, started_at, finished_at, outcome, http_status, meta_code, response)
        select id, attempt, started, finished, outcome, status, code, response::jsonb from unnest(
          ${attempts.map((a) => a.messageId)}::bigint[], ${attempts.map((a) => a.attempt)}::smallint[],
          ${attempts.map((a) => a.startedAt.toISOString())}::timestamptz[], ${attempts.map((a) => a.finishedAt.toISOString())}::timestamptz[],
          ${attempts.map((a) => a.outcome)}::text[], ${attempts.map((a) => a.httpStatus)}::int[],
          ${attempts.map((a) => a.metaCode)}::int[], ${attempts.map((a) => JSON.stringify(a.response ?? null))}::text[])
          as t(id, attempt, started, finished, outcome, status, code, response)`;
    }
    if (round.sent.length > 0) {
      await tx`
        update messages m set meta_wamid = v.meta, attempts = v.attempt,
          status = case when m.status = 'accepted' then 'dispatched' else m.status end, updated_at = ${now}
        from unnest(${round.sent.map((o) => o.messageId)}::bigint[], ${round.sent.map((o) => o.metaWamid)}::text[],
                    ${round.sent.map((o) => o.attempt)}::smallint[]) as v(id, meta, attempt)
        where m.id = v.id`;
      // Statuses that overtook this bookkeeping are waiting: have the inbound processor apply them.
      const [waiting] = await tx`select 1 from pending_statuses where meta_wamid = any(${round.sent.map((o) => o.metaWamid)}::text[]) limit 1`;
      if (waiting) await tx`select pg_notify(${INBOUND_CHANNEL}, '')`;
    }
    if (round.retried.length > 0) {
      await tx`
        update send_queue q set available_at = v.at, attempts = v.attempt, in_flight_since = null
        from unnest(${round.retried.map((o) => o.messageId)}::bigint[], ${round.retried.map((o) => o.availableAt.toISOString())}::timestamptz[],
                    ${round.retried.map((o) => o.attempt)}::smallint[]) as v(id, at, attempt)
        where q.message_id = v.id`;
      await tx`
        update messages m set attempts = v.attempt, updated_at = ${now}
        from unnest(${round.retried.map((o) => o.messageId)}::bigint[], ${round.retried.map((o) => o.attempt)}::smallint[]) as v(id, attempt)
        where m.id = v.id`;
    }
    // Expired messages were claimed, not marked in flight: only those still queued are this round's
    // to fail (a lane overlapping this one after a lost lease may have failed them already).
    const stillQueued = await dequeueUnmarked(tx, expired.map((o) => o.messageId));
    // Meta refused them, or their time to live passed in the queue: failed, each with its code.
    const number = { wabaId: round.wabaId, phoneNumberId: round.phoneNumberId, displayPhoneNumber: round.displayPhoneNumber };
    const failed: FailedMessage[] = [
      ...round.failed.map((o) => ({ ...o, ...number })),
      ...expired
        .filter((o) => stillQueued.has(o.messageId))
        .map((o) => ({ ...o, ...number, code: ErrorCode.Undeliverable, details: EXPIRED_IN_QUEUE_DETAILS })),
    ];
    await failMessages(tx, failed, now);
    const done = [...round.sent, ...round.failed].map((o) => o.messageId);
    if (done.length > 0) await tx`delete from send_queue where message_id = any(${done}::bigint[])`;
    if (round.released.length > 0) {
      await tx`update send_queue set in_flight_since = null where message_id = any(${round.released}::bigint[])`;
    }
  });
}

/** Takes these messages off the queue unless in flight; those it took (another transaction may have taken some first). */
async function dequeueUnmarked(tx: TransactionSql, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx<{ id: string }[]>`
    delete from send_queue where message_id = any(${ids}::bigint[]) and in_flight_since is null
    returning message_id::text as id`;
  return new Set(rows.map((r) => r.id));
}

/**
 * Whether a round's outcomes are committed already, from its first attempt row (matched by its
 * start, which no other attempt of the message shares) or, for a round of expired messages only,
 * the first one's status. A round of releases alone changes the same rows the same way twice.
 */
async function roundRecorded(tx: TransactionSql, round: RoundOutcomes): Promise<boolean> {
  const attempt = round.sent[0] ?? round.retried[0] ?? round.failed[0];
  if (attempt) {
    const [row] = await tx`
      select 1 from message_attempts
      where message_id = ${attempt.messageId} and attempt = ${attempt.attempt} and started_at = ${attempt.startedAt} and outcome <> 'unknown'`;
    return row !== undefined;
  }
  const expired = round.expired?.[0];
  if (!expired) return false;
  const [row] = await tx`select 1 from messages where id = ${expired.messageId} and status = 'failed'`;
  return row !== undefined;
}

/** A message that will not be sent: whose it was, why (Meta's code), and its last attempt, if any. */
export interface FailedMessage {
  messageId: string;
  /** The attempt that failed; absent when none was made (the message is dropped from the queue). */
  attempt?: number;
  tenantId: string;
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  wamid: string;
  recipient: string;
  code: number;
  details: string;
  bizOpaqueCallbackData: string | undefined;
}

/**
 * Marks messages failed in the caller's transaction: the message's status and error, a `failed`
 * status row, and the `failed` status owed to the tenant. Removing them from the queue is the
 * caller's. Used for Meta's refusals and for messages dropped past their time to live.
 */
export async function failMessages(tx: TransactionSql, failed: FailedMessage[], now: Date): Promise<void> {
  if (failed.length === 0) return;
  await tx`
    update messages m set status = 'failed', attempts = coalesce(v.attempt, m.attempts), updated_at = ${now},
      error = jsonb_build_object('code', v.code, 'details', v.details)
    from unnest(${failed.map((o) => o.messageId)}::bigint[], ${failed.map((o) => o.attempt ?? null)}::smallint[],
                ${failed.map((o) => o.code)}::int[], ${failed.map((o) => o.details)}::text[]) as v(id, attempt, code, details)
    where m.id = v.id`;
  await tx`
    insert into message_statuses (message_id, status, at, errors)
    select id, 'failed', ${now}, jsonb_build_array(jsonb_build_object('code', code))
    from unnest(${failed.map((o) => o.messageId)}::bigint[], ${failed.map((o) => o.code)}::int[]) as t(id, code)
    on conflict do nothing`;
  await enqueueTenantEvents(tx, failed.map((o) => failedStatusEvent(o, now)), now);
}

/** The `failed` status a tenant receives for a message that will not be sent, in Meta's webhook shape. */
function failedStatusEvent(m: FailedMessage, now: Date): TenantEvent {
  return {
    tenantId: m.tenantId,
    wabaId: m.wabaId,
    phoneNumberId: m.phoneNumberId,
    field: 'messages',
    orderingKey: `${m.phoneNumberId}:${m.recipient}`,
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: m.displayPhoneNumber.replace(/\D/g, ''), phone_number_id: m.phoneNumberId },
      statuses: [
        {
          id: m.wamid,
          status: 'failed',
          timestamp: String(Math.floor(now.getTime() / 1000)),
          recipient_id: m.recipient,
          ...(m.bizOpaqueCallbackData !== undefined ? { biz_opaque_callback_data: m.bizOpaqueCallbackData } : {}),
          errors: [webhookError(m.code, m.details)],
        },
      ],
    },
  };
}
