/**
 * The portfolio messaging limit (reference §4.2): how many unique users a business portfolio may
 * reach with business-initiated messages (templates sent outside a customer service window) in a
 * moving 24 h — Business.messagingLimitTier: 250, 2K, 10K, 100K or unlimited. Users already
 * reached in the last 24 h may be messaged again; a message to one more user is not delivered.
 *
 * Meta documents no error code for this. The emulator fails such a message asynchronously with
 * 131048 ("Spam rate limit hit"), whose documented meaning is the closest: "there are
 * restrictions on how many messages can be sent from this phone number". It is not charged.
 *
 * Upgrades, decided on the virtual clock and announced with `business_capability_update` to
 * every WABA of the portfolio:
 * - TIER_250 → TIER_2K as soon as the portfolio has reached 2,000 unique users outside a window in
 *   30 days (Meta's volume scaling path; business verification is the assets module's concern);
 * - TIER_2K and up → next tier 6 h (Meta: "within 6 hours") after the 24 h count first reaches
 *   half the limit, unless a number of the portfolio has quality RED by then.
 */
import type { Business, MessagingLimitTier } from '../state/types.js';
import { RecentUsers } from './recent-users.js';

export const TIER_LIMITS: Readonly<Record<MessagingLimitTier, number>> = {
  TIER_250: 250,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Infinity,
};

const NEXT_TIER: Readonly<Record<MessagingLimitTier, MessagingLimitTier | undefined>> = {
  TIER_250: 'TIER_2K',
  TIER_2K: 'TIER_10K',
  TIER_10K: 'TIER_100K',
  TIER_100K: 'TIER_UNLIMITED',
  TIER_UNLIMITED: undefined,
};

const DAY_MS = 24 * 3_600_000;
export const VOLUME_PATH_USERS = 2_000;
export const AUTOMATIC_UPGRADE_DELAY_MS = 6 * 3_600_000;

interface PortfolioUsage {
  day: RecentUsers;
  month: RecentUsers;
  upgradeAt?: number;
}

export interface MessagingLimitHooks {
  /** Runs `fn` at virtual time `at`. */
  schedule(at: number, fn: (at: number) => void): void;
  /** Whether the portfolio's numbers are in good standing (no RED quality). */
  healthy(business: Business): boolean;
  upgraded(business: Business, from: MessagingLimitTier, at: number): void;
}

export class MessagingLimits {
  readonly #usage = new Map<string, PortfolioUsage>();

  constructor(private readonly hooks: MessagingLimitHooks) {}

  /**
   * Whether a business-initiated message to `waId` fits the portfolio's limit at `now`; counts
   * the user when it does.
   */
  admit(business: Business, waId: string, now: number): boolean {
    const limit = TIER_LIMITS[business.messagingLimitTier] ?? TIER_LIMITS.TIER_250;
    if (limit === Infinity) return true;
    const usage = this.#usageOf(business.id);
    if (!usage.day.has(waId, now) && usage.day.size(now) >= limit) return false;
    usage.day.touch(waId, now);
    if (business.messagingLimitTier === 'TIER_250') usage.month.touch(waId, now);
    this.#considerUpgrade(business, usage, limit, now);
    return true;
  }

  /** What the control API shows for a portfolio. */
  usage(business: Business, now: number): { tier: MessagingLimitTier; limit: number | null; uniqueUsers24h: number; upgradeAt: number | null } {
    const usage = this.#usage.get(business.id);
    const limit = TIER_LIMITS[business.messagingLimitTier];
    return {
      tier: business.messagingLimitTier,
      limit: limit === Infinity ? null : limit,
      uniqueUsers24h: usage?.day.size(now) ?? 0,
      upgradeAt: usage?.upgradeAt ?? null,
    };
  }

  clear(): void {
    this.#usage.clear();
  }

  #usageOf(businessId: string): PortfolioUsage {
    let usage = this.#usage.get(businessId);
    if (!usage) this.#usage.set(businessId, (usage = { day: new RecentUsers(DAY_MS), month: new RecentUsers(30 * DAY_MS) }));
    return usage;
  }

  #considerUpgrade(business: Business, usage: PortfolioUsage, limit: number, now: number): void {
    if (usage.upgradeAt !== undefined) return;
    if (business.messagingLimitTier === 'TIER_250') {
      if (usage.month.size(now) >= VOLUME_PATH_USERS && this.hooks.healthy(business)) this.#upgrade(business, now);
      return;
    }
    if (usage.day.size(now) < limit / 2) return;
    usage.upgradeAt = now + AUTOMATIC_UPGRADE_DELAY_MS;
    this.hooks.schedule(usage.upgradeAt, (at) => {
      usage.upgradeAt = undefined;
      if (this.hooks.healthy(business)) this.#upgrade(business, at);
    });
  }

  #upgrade(business: Business, at: number): void {
    const from = business.messagingLimitTier;
    const to = NEXT_TIER[from];
    if (!to) return;
    business.messagingLimitTier = to;
    // The 30-day count only serves the TIER_250 path; drop it once past that tier.
    const usage = this.#usage.get(business.id);
    if (usage) usage.month = new RecentUsers(30 * DAY_MS);
    this.hooks.upgraded(business, from, at);
  }
}
