/**
 * Messaging-limit tiers (reference §4.2): unique users a business portfolio may reach outside a
 * customer-service window per moving 24 h. Meta names them as strings (TIER_250 … TIER_UNLIMITED;
 * TIER_50 and TIER_1K from the per-number model before Oct 2025) and, in the deprecated
 * `max_daily_conversation_per_phone`, as integers (-1: unlimited).
 */

export const TIER_LIMITS: Readonly<Record<string, number>> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1_000,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Infinity,
};

/** The number of unique users a tier allows; undefined when the tier is unknown or not set (nothing is enforced then). */
export function tierLimit(tier: string | null | undefined): number | undefined {
  return tier ? TIER_LIMITS[tier] : undefined;
}

/** A tier from a webhook or a read: a tier name, or the deprecated integer form. */
export function readTier(raw: unknown): string | undefined {
  if (typeof raw === 'string') {
    const name = raw.trim().toUpperCase();
    if (name in TIER_LIMITS) return name;
    if (/^-?\d+$/.test(name)) return readTier(Number(name));
    return undefined;
  }
  if (typeof raw === 'number' && Number.isInteger(raw)) {
    if (raw < 0) return 'TIER_UNLIMITED';
    return Object.entries(TIER_LIMITS).find(([, limit]) => limit === raw)?.[0];
  }
  return undefined;
}

/** Whether `to` allows fewer users than `from` (a downgrade is worth an alert). */
export function isLowerTier(from: string | null | undefined, to: string | null | undefined): boolean {
  const a = tierLimit(from);
  const b = tierLimit(to);
  return a !== undefined && b !== undefined && b < a;
}

/** The highest of several tiers (at the switch to portfolio limits each portfolio kept its numbers' highest). */
export function highestTier(tiers: Array<string | null | undefined>): string | undefined {
  let best: string | undefined;
  for (const t of tiers) {
    if (tierLimit(t) === undefined) continue;
    if (best === undefined || tierLimit(t)! > tierLimit(best)!) best = t!;
  }
  return best;
}
