/**
 * Display-name review. A number's first name (set when it is added) and later name changes
 * (`POST /{phone-number-id}` with `new_display_name`) are reviewed by the emulator after
 * NAME_REVIEW_DELAY_MS on its clock, unless the control API decides first
 * (`POST /_emulator/phone_numbers/{id}/name_decision`). The outcome is announced with the
 * `phone_number_name_update` webhook.
 *
 * The emulator's reviewer is deterministic. A name is rejected with NAME_FORMAT_UNACCEPTABLE when
 * it is shorter than 3 characters, contains "WhatsApp", "Facebook" or "Instagram" (any case), a URL,
 * or an emoji; every other name is approved. An approved first name applies at once; an approved
 * change applies at the next `register` call, as on Meta (reference §1.4).
 */
import { invalidParameter } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { PhoneNumber } from '../state/types.js';

export const NAME_REVIEW_DELAY_MS = 10_000;

export type NameDecision = 'APPROVED' | 'REJECTED' | 'DEFERRED';
export const NAME_REJECTION_REASONS = [
  'NAME_EMPLOYEE_ISSUE',
  'NAME_ENDCLIENT_NOTRELATED',
  'NAME_FORMAT_UNACCEPTABLE',
  'NAME_INDIVIDUAL_ISSUE',
  'NAME_NOT_CONSISTENT',
  'UNKNOWN',
] as const;
export type NameRejectionReason = (typeof NAME_REJECTION_REASONS)[number];

/** The emulator reviewer's verdict on a name. */
export function reviewName(name: string): { decision: 'APPROVED' } | { decision: 'REJECTED'; reason: NameRejectionReason } {
  const trimmed = name.trim();
  const unacceptable =
    [...trimmed].length < 3 ||
    /whatsapp|facebook|instagram/i.test(trimmed) ||
    /https?:\/\/|www\./i.test(trimmed) ||
    /\p{Extended_Pictographic}/u.test(trimmed);
  return unacceptable ? { decision: 'REJECTED', reason: 'NAME_FORMAT_UNACCEPTABLE' } : { decision: 'APPROVED' };
}

/** Checks a requested name's length (Meta: 2–75 characters). */
export function validateDisplayName(name: string, param: string): string {
  const trimmed = name.trim();
  const length = [...trimmed].length;
  if (length < 2 || length > 75) throw invalidParameter(`Param ${param} must be 2 to 75 characters long.`);
  return trimmed;
}

const pendingReviews = new WeakMap<PhoneNumber, () => void>();

/** Starts a review: of the first name ("initial") or of a requested change. */
export function requestDisplayName(ctx: EmulatorContext, phone: PhoneNumber, name: string, kind: 'initial' | 'change'): void {
  phone.requestedVerifiedName = name;
  if (kind === 'initial') {
    phone.verifiedName = name;
    phone.nameStatus = 'PENDING_REVIEW';
  } else {
    phone.newNameStatus = 'PENDING_REVIEW';
  }
  pendingReviews.get(phone)?.();
  const cancel = ctx.clock.at(ctx.clock.now() + NAME_REVIEW_DELAY_MS, () => {
    pendingReviews.delete(phone);
    if (ctx.state.phoneNumbers.get(phone.id) !== phone || !hasPendingName(phone)) return;
    const verdict = reviewName(name);
    decideDisplayName(ctx, phone, verdict.decision, verdict.decision === 'REJECTED' ? verdict.reason : undefined);
  });
  pendingReviews.set(phone, cancel);
}

export function hasPendingName(phone: PhoneNumber): boolean {
  return phone.newNameStatus === 'PENDING_REVIEW' || phone.nameStatus === 'PENDING_REVIEW';
}

/** Settles the pending name request and sends `phone_number_name_update`. */
export function decideDisplayName(ctx: EmulatorContext, phone: PhoneNumber, decision: NameDecision, reason?: NameRejectionReason): void {
  if (!hasPendingName(phone) || phone.requestedVerifiedName === undefined) {
    throw invalidParameter('This phone number has no display name request pending review.');
  }
  const change = phone.newNameStatus === 'PENDING_REVIEW';
  const requested = phone.requestedVerifiedName;
  // A deferred request stays PENDING_REVIEW and waits for a decision from the control API.
  pendingReviews.get(phone)?.();
  pendingReviews.delete(phone);
  if (decision !== 'DEFERRED') {
    const status = decision === 'APPROVED' ? 'APPROVED' : 'DECLINED';
    if (change) phone.newNameStatus = status;
    else phone.nameStatus = status;
  }
  ctx.webhooks.emit({
    wabaId: phone.wabaId,
    field: 'phone_number_name_update',
    value: {
      display_phone_number: phone.waId,
      decision,
      requested_verified_name: requested,
      rejection_reason: decision === 'REJECTED' ? (reason ?? 'UNKNOWN') : null,
    },
  });
}

/** At registration, an approved name change takes effect (reference §1.4). */
export function applyApprovedName(phone: PhoneNumber): void {
  if (phone.newNameStatus === 'APPROVED' && phone.requestedVerifiedName !== undefined) {
    phone.verifiedName = phone.requestedVerifiedName;
    phone.nameStatus = 'APPROVED';
    phone.newNameStatus = 'NONE';
  }
}
