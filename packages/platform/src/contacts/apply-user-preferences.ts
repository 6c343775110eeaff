/**
 * Meta's `user_preferences` webhook (reference §2.5): a user stopped or resumed marketing messages
 * from one of the tenant's numbers (WhatsApp's own "Stop promotions"). It sets the contact FALSE
 * (stop) or TRUE (resume), with source meta and Meta's `detail` as proof, at Meta's timestamp so
 * that a late webhook cannot undo a newer change. Meta's stop is per number; the contact is per
 * tenant, so a stop from one number stops marketing from all the tenant's numbers (stricter than
 * Meta, never looser).
 */
import type { TransactionSql } from 'postgres';
import { toWaId } from '@switchboard/wire';
import { endOfSecond } from './end-of-second.js';
import { setSubscription } from './set-subscription.js';

interface Preference {
  wa_id?: unknown;
  value?: unknown;
  category?: unknown;
  detail?: unknown;
  timestamp?: unknown;
}

/** Applies every preference in the change; returns how many changed a contact. */
export async function applyUserPreferences(tx: TransactionSql, tenantId: string, value: Record<string, unknown>, now: Date): Promise<number> {
  const preferences = Array.isArray(value.user_preferences) ? (value.user_preferences as Preference[]) : [];
  let changed = 0;
  for (const p of preferences) {
    if (p?.category !== undefined && p.category !== 'marketing_messages') continue;
    if (p?.value !== 'stop' && p?.value !== 'resume') continue;
    const waId = typeof p.wa_id === 'string' ? toWaId(`+${p.wa_id.replace(/^\+/, '')}`) : undefined;
    if (!waId) continue;
    const seconds = typeof p.timestamp === 'number' ? p.timestamp : typeof p.timestamp === 'string' && /^\d+$/.test(p.timestamp) ? Number(p.timestamp) : undefined;
    const outcome = await setSubscription(tx, {
      tenantId,
      waId,
      subscription: p.value === 'resume',
      source: 'meta',
      actor: 'meta',
      proof: typeof p.detail === 'string' ? p.detail : `user_preferences: ${p.value}`,
      at: seconds !== undefined ? endOfSecond(seconds, now) : now,
      now,
    });
    if (outcome === 'created' || outcome === 'updated') changed++;
  }
  return changed;
}
