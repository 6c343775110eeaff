/**
 * A contact's WhatsApp subscription status, as the MoEngage seed names it (moe_wa_subscription):
 * TRUE (consent given), FALSE (the user said no), unset (nothing known). Stored as a nullable
 * boolean, shown as "TRUE" / "FALSE" / null, and read leniently from imports and API calls.
 */

export type Subscription = boolean | null;

/** Where a change came from (the audit trail's `source`). */
export type ContactSource = 'api' | 'import' | 'keyword' | 'meta' | 'dashboard';

export type SubscriptionText = 'TRUE' | 'FALSE' | null;

export function presentSubscription(value: Subscription): SubscriptionText {
  return value === null ? null : value ? 'TRUE' : 'FALSE';
}

const TRUE_WORDS = new Set(['TRUE', 'T', 'YES', 'Y', '1', 'OPTED_IN', 'OPT_IN', 'OPTIN', 'SUBSCRIBED']);
const FALSE_WORDS = new Set(['FALSE', 'F', 'NO', 'N', '0', 'OPTED_OUT', 'OPT_OUT', 'OPTOUT', 'UNSUBSCRIBED']);
const UNSET_WORDS = new Set(['UNSET', 'NULL', 'NONE', 'UNKNOWN']);

/**
 * What an input says about the subscription: a value (true, false or null for "unset"), `keep`
 * (leave it as it is: an empty CSV cell, an absent JSON key), or `invalid`.
 */
export type SubscriptionInput = { kind: 'set'; value: Subscription } | { kind: 'keep' } | { kind: 'invalid' };

export function readSubscription(raw: unknown): SubscriptionInput {
  if (raw === undefined) return { kind: 'keep' };
  if (raw === null) return { kind: 'set', value: null };
  if (typeof raw === 'boolean') return { kind: 'set', value: raw };
  if (typeof raw !== 'string') return { kind: 'invalid' };
  const word = raw.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if (word === '') return { kind: 'keep' };
  if (TRUE_WORDS.has(word)) return { kind: 'set', value: true };
  if (FALSE_WORDS.has(word)) return { kind: 'set', value: false };
  if (UNSET_WORDS.has(word)) return { kind: 'set', value: null };
  return { kind: 'invalid' };
}

export const SUBSCRIPTION_HELP = 'subscription must be TRUE, FALSE or UNSET (also true/false, yes/no, 1/0; empty leaves it as it is)';
