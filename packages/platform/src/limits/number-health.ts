/**
 * A number's health as read from Meta (attach, sync, the refresher): quality rating, status,
 * throughput and the portfolio's messaging-limit tier. Reading compares with what was stored and
 * raises an alert for each drop — quality down, a restricting status, a lower tier — then stores
 * the new values. Called inside the writer's transaction, before it overwrites the number.
 */
import type { TransactionSql } from 'postgres';
import { qualityDropped, RESTRICTING_STATUSES } from '../alerts/alert-kinds.js';
import { raiseAlerts, type NewAlert } from '../alerts/raise-alerts.js';
import { setPortfolioTier } from './portfolio-store.js';
import { HOLD_CHANNEL } from './hold-channel.js';
import { highestTier, isLowerTier } from './tiers.js';

export interface NumberHealth {
  qualityRating: string | null;
  status: string | null;
  messagingLimitTier: string | null;
}

export interface ReadNumber extends NumberHealth {
  id: string;
  displayPhoneNumber: string;
}

interface StoredHealth {
  id: string;
  quality_rating: string | null;
  status: string | null;
}

/** The alerts a change of a number's health deserves (tier changes are the portfolio's: see tierAlert). */
export function numberAlerts(
  context: { tenantId: string; wabaId: string; number: { id: string; displayPhoneNumber: string } },
  before: NumberHealth,
  after: NumberHealth,
  source: 'webhook' | 'read',
  cause: unknown,
): NewAlert[] {
  const alerts: NewAlert[] = [];
  const base = { tenantId: context.tenantId, wabaId: context.wabaId, phoneNumberId: context.number.id, source, dedup: cause };
  const entity = { type: 'PHONE_NUMBER' as const, id: context.number.id };
  const display = context.number.displayPhoneNumber || context.number.id;
  if (qualityDropped(before.qualityRating, after.qualityRating)) {
    alerts.push({
      ...base,
      entity,
      kind: 'number_quality_dropped',
      severity: after.qualityRating === 'RED' ? 'CRITICAL' : 'WARNING',
      title: `Quality of ${display} fell to ${after.qualityRating}`,
      description:
        after.qualityRating === 'RED'
          ? 'Users are blocking or reporting messages from this number. Pause marketing to it and review templates; a portfolio with a RED number does not get higher messaging limits.'
          : 'Users have started to block or report messages from this number. Review what is sent and to whom.',
      details: { previous_quality_rating: before.qualityRating, quality_rating: after.qualityRating },
    });
  }
  if (after.status && after.status !== before.status && RESTRICTING_STATUSES.has(after.status)) {
    alerts.push({
      ...base,
      entity,
      kind: 'number_restricted',
      severity: 'CRITICAL',
      title: `${display} is ${after.status}`,
      description: `Meta changed the number's status from ${before.status ?? 'unknown'} to ${after.status}; it may not be able to send.`,
      details: { previous_status: before.status, status: after.status },
    });
  }
  return alerts;
}

/** The alert for a portfolio's tier going down, once per WABA of the tenant that learnt it. */
export function tierAlert(tenantId: string, wabaId: string, from: string | null, to: string, source: 'webhook' | 'read', cause: unknown): NewAlert[] {
  if (!isLowerTier(from, to)) return [];
  return [
    {
      tenantId,
      wabaId,
      kind: 'messaging_limit_lowered',
      severity: 'WARNING',
      title: `Messaging limit lowered to ${to}`,
      description: `Meta lowered the business portfolio's messaging limit from ${from} to ${to} unique users outside a service window per 24 h.`,
      entity: { type: 'WABA', id: wabaId },
      source,
      details: { previous_tier: from, tier: to },
      dedup: cause,
    },
  ];
}

/**
 * Before a read of a WABA's numbers is stored (assets/store-waba.ts): alerts for drops against
 * the stored values, the WABA's portfolio, and the portfolio's tier (the highest tier its numbers
 * report, as Meta set it at the switch to portfolio limits).
 */
export async function recordNumberReads(
  tx: TransactionSql,
  input: { tenantId: string; wabaId: string; numbers: ReadNumber[]; now: Date },
): Promise<void> {
  const { tenantId, wabaId, numbers, now } = input;
  const stored = await tx<StoredHealth[]>`
    select id, quality_rating, status from phone_numbers
    where tenant_id = ${tenantId} and id = any(${numbers.map((n) => n.id)}::text[])`;
  const alerts = numbers.flatMap((n) => {
    const before = stored.find((s) => s.id === n.id);
    if (!before) return [];
    return numberAlerts(
      { tenantId, wabaId, number: n },
      { qualityRating: before.quality_rating, status: before.status, messagingLimitTier: null },
      n,
      'read',
      { read: now.toISOString(), quality: n.qualityRating, status: n.status },
    );
  });
  const tier = highestTier(numbers.map((n) => n.messagingLimitTier));
  const [waba] = await tx<{ portfolio_id: string }[]>`select portfolio_id from wabas where id = ${wabaId} and tenant_id = ${tenantId}`;
  if (tier && waba) {
    const previous = await setPortfolioTier(tx, waba.portfolio_id, tier, now);
    alerts.push(...tierAlert(tenantId, wabaId, previous, tier, 'read', { read: now.toISOString(), tier }));
    if (previous !== tier) await tx`select pg_notify(${HOLD_CHANNEL}, '')`;
  }
  await raiseAlerts(tx, alerts, now);
}
