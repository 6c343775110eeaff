/**
 * Records that a business message opened a free-entry-point window: 72 h from now, and the
 * referral that allowed it is used up (as at Meta, one referral opens one window). Conditional on
 * the referral read by the check, so two sends racing open it once.
 */
import type { Sql } from '../../db/connect.js';

export async function openFreeEntryPoint(sql: Sql, phoneNumberId: string, waId: string, referralAt: Date, expiresAt: Date): Promise<void> {
  await sql`
    update conversations set fep_expires_at = ${expiresAt}, referral_at = null
    where phone_number_id = ${phoneNumberId} and wa_id = ${waId} and referral_at = ${referralAt}`;
}
