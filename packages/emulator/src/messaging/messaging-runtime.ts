/**
 * What the messaging, users, limits and media modules share beyond the emulator's state: the
 * lifecycle agenda, the rate limiters, the portfolio limits, the media URL signer, and the small
 * caches that keep a send under a few microseconds. Created once per emulator; cleared on reset.
 */
import { callingCode } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import { MessagingLimits, TIER_LIMITS } from '../limits/messaging-limit.js';
import { SendRateLimits } from '../limits/send-rate-limits.js';
import { MediaUrls } from '../media/media-urls.js';
import { BoundedMap } from '../state/bounded.js';
import type { Business } from '../state/types.js';
import { Agenda } from './agenda.js';

export interface MessagingRuntime {
  ctx: EmulatorContext;
  agenda: Agenda;
  rates: SendRateLimits;
  limits: MessagingLimits;
  mediaUrls: MediaUrls;
  /** The country calling code of a business number's wa_id (parsing one costs ~10 µs). */
  callingCodeOf(waId: string): string | undefined;
  /** `to` as sent + calling code → wa_id, remembered because SDKs send the same form every time. */
  recipients: BoundedMap<string, string>;
}

export function createMessagingRuntime(ctx: EmulatorContext): MessagingRuntime {
  const agenda = new Agenda(ctx.clock, (err) => ctx.logger.error({ err }, 'message lifecycle step failed'));
  const callingCodes = new Map<string, string | undefined>();
  const runtime: MessagingRuntime = {
    ctx,
    agenda,
    rates: new SendRateLimits(),
    limits: new MessagingLimits({
      schedule: (at, fn) => agenda.at(at, fn),
      healthy: (business) => portfolioHealthy(ctx, business),
      upgraded: (business, _from, at) => announceLimit(ctx, business, at),
    }),
    mediaUrls: new MediaUrls(),
    callingCodeOf(waId) {
      if (!callingCodes.has(waId)) callingCodes.set(waId, callingCode(waId));
      return callingCodes.get(waId);
    },
    recipients: new BoundedMap(50_000),
  };
  ctx.state.onReset(() => {
    agenda.clear();
    runtime.rates.clear();
    runtime.limits.clear();
    runtime.recipients.clear();
  });
  return runtime;
}

function portfolioHealthy(ctx: EmulatorContext, business: Business): boolean {
  for (const waba of ctx.state.wabasOfBusiness(business.id)) {
    if (ctx.state.phonesOfWaba(waba.id).some((p) => p.qualityRating === 'RED')) return false;
  }
  return true;
}

/** `business_capability_update` to every WABA of the portfolio (reference §2.5). */
function announceLimit(ctx: EmulatorContext, business: Business, _at: number): void {
  const tier = business.messagingLimitTier;
  // The deprecated integer form: -1 means unlimited.
  const perPhone = Number.isFinite(TIER_LIMITS[tier]) ? TIER_LIMITS[tier] : -1;
  for (const waba of ctx.state.wabasOfBusiness(business.id)) {
    ctx.webhooks.emit({
      wabaId: waba.id,
      field: 'business_capability_update',
      value: { max_daily_conversations_per_business: tier, max_daily_conversation_per_phone: perPhone },
    });
  }
}
