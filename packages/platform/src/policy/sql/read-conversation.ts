/** The service-window times of one user with one number (no row: the user never wrote). */
import type { Sql } from '../../db/connect.js';
import type { ConversationTimes } from '../service-window.js';

export async function readConversation(sql: Sql, phoneNumberId: string, waId: string): Promise<ConversationTimes> {
  const [row] = await sql<{ last_inbound_at: Date; fep_expires_at: Date | null; referral_at: Date | null }[]>`
    select last_inbound_at, fep_expires_at, referral_at from conversations
    where phone_number_id = ${phoneNumberId} and wa_id = ${waId}`;
  return {
    lastInboundAt: row?.last_inbound_at ?? null,
    fepExpiresAt: row?.fep_expires_at ?? null,
    referralAt: row?.referral_at ?? null,
  };
}
