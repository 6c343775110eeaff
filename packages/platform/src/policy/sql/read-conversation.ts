/**
 * The service-window times of one user with one number (no row: the user never wrote). Concurrent
 * sends' lookups share one query (db/batch-loader.ts).
 */
import { BatchLoader, loaderPerPool } from '../../db/batch-loader.js';
import type { Sql } from '../../db/connect.js';
import type { ConversationTimes } from '../service-window.js';

const NONE: ConversationTimes = { lastInboundAt: null, fepExpiresAt: null, referralAt: null };

const loader = loaderPerPool(
  (sql: Sql) =>
    new BatchLoader<{ phoneNumberId: string; waId: string }, ConversationTimes>(
      (k) => `${k.phoneNumberId} ${k.waId}`,
      async (keys) => {
        const rows = await sql<{ phone_number_id: string; wa_id: string; last_inbound_at: Date; fep_expires_at: Date | null; referral_at: Date | null }[]>`
          select c.phone_number_id, c.wa_id, c.last_inbound_at, c.fep_expires_at, c.referral_at
          from unnest(${keys.map((k) => k.phoneNumberId)}::text[], ${keys.map((k) => k.waId)}::text[]) as k(phone, wa)
          join conversations c on c.phone_number_id = k.phone and c.wa_id = k.wa`;
        return new Map(
          rows.map((r) => [`${r.phone_number_id} ${r.wa_id}`, { lastInboundAt: r.last_inbound_at, fepExpiresAt: r.fep_expires_at, referralAt: r.referral_at }]),
        );
      },
      NONE,
    ),
);

export async function readConversation(sql: Sql, phoneNumberId: string, waId: string): Promise<ConversationTimes> {
  return loader(sql).load({ phoneNumberId, waId });
}
