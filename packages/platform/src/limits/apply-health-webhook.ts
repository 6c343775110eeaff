/**
 * Meta's webhooks about number health and the messaging limit (reference §2.5), applied by the
 * inbound processor in the event's transaction:
 * - phone_number_quality_update: FLAGGED (quality fell to RED; the per-number event Meta still
 *   sends), UNFLAGGED, THROUGHPUT_UPGRADE (1,000 mps), UPGRADE/DOWNGRADE and the tier it carries.
 *   The payload does not say what the rating is after UNFLAGGED, so every such event also asks
 *   the refresher (refresh-numbers.ts) to read the number from Meta;
 * - business_capability_update: the portfolio's new tier (max_daily_conversations_per_business,
 *   or the deprecated integer max_daily_conversation_per_phone).
 * A tier change wakes the releaser of held messages; drops raise alerts.
 */
import type { TransactionSql } from 'postgres';
import { raiseAlerts, type NewAlert } from '../alerts/raise-alerts.js';
import { HIGH_MPS } from '../assets/read-waba.js';
import { HOLD_CHANNEL } from './hold-channel.js';
import { numberAlerts, tierAlert } from './number-health.js';
import { setPortfolioTier } from './portfolio-store.js';
import { REFRESH_CHANNEL } from './refresh-channel.js';
import { readTier } from './tiers.js';

export const HEALTH_FIELDS: ReadonlySet<string> = new Set(['phone_number_quality_update', 'business_capability_update']);

interface Target {
  tenantId: string;
  wabaId: string;
}

export async function applyHealthWebhook(tx: TransactionSql, target: Target, field: string, value: Record<string, unknown>, now: Date): Promise<void> {
  if (field === 'phone_number_quality_update') await qualityUpdate(tx, target, value, now);
  else if (field === 'business_capability_update') await capabilityUpdate(tx, target, value, now);
}

async function qualityUpdate(tx: TransactionSql, { tenantId, wabaId }: Target, value: Record<string, unknown>, now: Date): Promise<void> {
  const display = value.display_phone_number;
  const digits = typeof display === 'string' || typeof display === 'number' ? String(display).replace(/\D/g, '') : '';
  const event = typeof value.event === 'string' ? value.event.toUpperCase() : undefined;
  const alerts: NewAlert[] = [];
  const [number] = digits
    ? await tx<{ id: string; display_phone_number: string; quality_rating: string | null; status: string | null }[]>`
        select id, display_phone_number, quality_rating, status from phone_numbers
        where tenant_id = ${tenantId} and waba_id = ${wabaId} and regexp_replace(display_phone_number, '\\D', '', 'g') = ${digits}
        for update`
    : [];
  if (number && event) {
    const quality = event === 'FLAGGED' ? 'RED' : number.quality_rating;
    alerts.push(
      ...numberAlerts(
        { tenantId, wabaId, number: { id: number.id, displayPhoneNumber: number.display_phone_number } },
        { qualityRating: number.quality_rating, status: number.status, messagingLimitTier: null },
        { qualityRating: quality, status: number.status, messagingLimitTier: null },
        'webhook',
        { value, at: now.toISOString() },
      ),
    );
    await tx`
      update phone_numbers set
        quality_event = ${event},
        quality_rating = ${quality},
        throughput_level = case when ${event} = 'THROUGHPUT_UPGRADE' then 'HIGH' else throughput_level end,
        mps = case when ${event} = 'THROUGHPUT_UPGRADE' then greatest(mps, ${HIGH_MPS}::int) else mps end,
        health_updated_at = ${now},
        refresh_due_at = ${now}
      where id = ${number.id}`;
    await tx`select pg_notify(${REFRESH_CHANNEL}, '')`;
  }
  // The portfolio's tier: max_daily_conversations_per_business, else the deprecated current_limit.
  const tier = readTier(value.max_daily_conversations_per_business) ?? readTier(value.current_limit);
  if (tier) alerts.push(...(await changeTier(tx, { tenantId, wabaId }, tier, value, now)));
  await raiseAlerts(tx, alerts, now);
}

async function capabilityUpdate(tx: TransactionSql, target: Target, value: Record<string, unknown>, now: Date): Promise<void> {
  const tier = readTier(value.max_daily_conversations_per_business) ?? readTier(value.max_daily_conversation_per_phone);
  if (!tier) return;
  await raiseAlerts(tx, await changeTier(tx, target, tier, value, now), now);
}

async function changeTier(tx: TransactionSql, { tenantId, wabaId }: Target, tier: string, value: unknown, now: Date): Promise<NewAlert[]> {
  const [waba] = await tx<{ portfolio_id: string }[]>`select portfolio_id from wabas where id = ${wabaId} and tenant_id = ${tenantId}`;
  if (!waba) return [];
  const previous = await setPortfolioTier(tx, waba.portfolio_id, tier, now);
  if (previous === tier) return [];
  await tx`select pg_notify(${HOLD_CHANNEL}, '')`;
  return tierAlert(tenantId, wabaId, previous, tier, 'webhook', { value, at: now.toISOString() });
}
