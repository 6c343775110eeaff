/**
 * The customer-service window and the free-entry-point window of one user with one number
 * (reference §6.1, §6.2), decided against the injected clock:
 * - the service window is open for 24 h after the user's last message (open while
 *   now − last < 24 h, as the emulator decides it);
 * - a free-entry-point window is open until fep_expires_at; a business message within 24 h of a
 *   click-to-WhatsApp referral, while none is open, opens one for 72 h from that message.
 */
export const SERVICE_WINDOW_MS = 24 * 3_600_000;
export const FREE_ENTRY_POINT_MS = 72 * 3_600_000;
/** A referral lets the business open a free-entry-point window this long after it. */
export const REFERRAL_REPLY_MS = 24 * 3_600_000;

export interface ConversationTimes {
  lastInboundAt: Date | null;
  fepExpiresAt: Date | null;
  referralAt: Date | null;
}

export interface Windows {
  service: { open: boolean; expiresAt: Date | null };
  freeEntryPoint: { open: boolean; expiresAt: Date | null };
  /** A message sent now opens a free-entry-point window (the first reply to a recent referral). */
  opensFreeEntryPoint: boolean;
}

export function windowsAt(times: ConversationTimes, now: number): Windows {
  const serviceEnd = times.lastInboundAt ? times.lastInboundAt.getTime() + SERVICE_WINDOW_MS : null;
  const fepOpen = times.fepExpiresAt !== null && now < times.fepExpiresAt.getTime();
  const opens = !fepOpen && times.referralAt !== null && now - times.referralAt.getTime() < REFERRAL_REPLY_MS;
  return {
    service: { open: serviceEnd !== null && now < serviceEnd, expiresAt: serviceEnd === null ? null : new Date(serviceEnd) },
    freeEntryPoint: fepOpen
      ? { open: true, expiresAt: times.fepExpiresAt }
      : opens
        ? { open: true, expiresAt: new Date(now + FREE_ENTRY_POINT_MS) }
        : { open: false, expiresAt: times.fepExpiresAt },
    opensFreeEntryPoint: opens,
  };
}
