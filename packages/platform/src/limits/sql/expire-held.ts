/**
 * Drops held messages whose time to live has passed (send_queue.expires_at, set at acceptance from
 * Meta's rule: policy/check-policy.ts messageTtlMs): each leaves the queue, becomes `failed` with
 * 131048 — the code the send would have had with the tenant's 'refuse' — and the tenant gets the
 * `failed` status in Meta's shape, all in one transaction. Rows another releaser is working on are
 * skipped (SKIP LOCKED), and a row released meanwhile no longer matches once locked.
 */
import { ErrorCode } from '@switchboard/wire';
import type { Sql } from '../../db/connect.js';
import { failMessages } from '../../messaging/sql/record-outcomes.js';

const BATCH = 500;

export const EXPIRED_DETAILS =
  "Message failed to send because it was held by the business portfolio's messaging limit until its time to live passed.";

interface ExpiredRow {
  id: string;
  wamid: string;
  tenant_id: string;
  phone_number_id: string;
  waba_id: string;
  display_phone_number: string;
  recipient: string;
  biz: string | null;
}

/** Returns how many messages were dropped (all that were due, in batches). */
export async function expireHeld(sql: Sql, now: Date): Promise<number> {
  let dropped = 0;
  for (;;) {
    const n = await sql.begin(async (tx) => {
      const rows = await tx<ExpiredRow[]>`
        with due as (
          select message_id from send_queue
          where held_reason is not null and expires_at <= ${now}
          order by message_id
          limit ${BATCH}
          for update skip locked
        ), gone as (
          delete from send_queue q using due where q.message_id = due.message_id
          returning q.message_id
        )
        select m.id::text as id, m.wamid, m.tenant_id, m.phone_number_id, n.waba_id, n.display_phone_number, m.recipient,
          case when jsonb_typeof(m.body -> 'biz_opaque_callback_data') = 'string' then m.body ->> 'biz_opaque_callback_data' end as biz
        from gone g join messages m on m.id = g.message_id join phone_numbers n on n.id = m.phone_number_id
        order by m.id`;
      await failMessages(
        tx,
        rows.map((r) => ({
          messageId: r.id,
          tenantId: r.tenant_id,
          wabaId: r.waba_id,
          phoneNumberId: r.phone_number_id,
          displayPhoneNumber: r.display_phone_number,
          wamid: r.wamid,
          recipient: r.recipient,
          code: ErrorCode.SpamRateLimit,
          details: EXPIRED_DETAILS,
          bizOpaqueCallbackData: r.biz ?? undefined,
        })),
        now,
      );
      return rows.length;
    });
    dropped += n;
    if (n < BATCH) return dropped;
  }
}

/** When the next held message expires, if any is held. */
export async function nextHeldExpiry(sql: Sql): Promise<number | undefined> {
  // Planned at each run, not prepared (see numbersWithWork in messaging/sql/claim-batch.ts).
  const [row] = await sql<{ at: Date | null }[]>`select min(expires_at) as at from send_queue where held_reason is not null`.simple();
  return row?.at ? row.at.getTime() : undefined;
}
