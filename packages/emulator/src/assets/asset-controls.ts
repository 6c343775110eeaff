/**
 * Control API for what Meta decides on its side about numbers and portfolios (no auth, like all of
 * /_emulator). The messaging module enforces what is stored here (tier, mps, quality, status).
 *   GET  /_emulator/phone_numbers/{id}                 the number as the emulator holds it
 *   GET  /_emulator/phone_numbers/{id}/sim             the simulated SIM: codes sent by request_code
 *   POST /_emulator/phone_numbers/{id}/name_decision   {decision: APPROVED|REJECTED|DEFERRED, rejection_reason?}
 *   POST /_emulator/phone_numbers/{id}/quality         {quality_rating: GREEN|YELLOW|RED|UNKNOWN}
 *   POST /_emulator/phone_numbers/{id}/throughput      {level: STANDARD|HIGH} and/or {mps}
 *   POST /_emulator/phone_numbers/{id}/status          {status: CONNECTED|FLAGGED|RESTRICTED|…}
 *   POST /_emulator/businesses/{id}/messaging_limit    {tier: TIER_250|TIER_2K|TIER_10K|TIER_100K|TIER_UNLIMITED}
 *   POST /_emulator/businesses/{id}/verification       {verification_status: verified|unverified|pending|expired}
 *
 * Webhooks: quality into RED sends `phone_number_quality_update` FLAGGED, out of RED UNFLAGGED
 * (the per-number events Meta used before the portfolio limits of Oct 2025; other quality moves
 * are silent); HIGH throughput sends THROUGHPUT_UPGRADE; a tier change sends
 * `business_capability_update` to every WABA of the business.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidParameter, unknownObject } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { Business, MessagingLimitTier, PhoneNumber, QualityRating } from '../state/types.js';
import { HIGH_MPS, STANDARD_MPS } from './create-assets.js';
import { decideDisplayName, NAME_REJECTION_REASONS, type NameDecision, type NameRejectionReason } from './display-name.js';
import { graphTime } from './graph-time.js';
import { idParam, optionalString, paramsOf, requiredString } from './params.js';
import { registeredNumberCap } from './registration.js';

export const TIERS: readonly MessagingLimitTier[] = ['TIER_250', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'];
const TIER_SIZE: Record<MessagingLimitTier, number> = { TIER_250: 250, TIER_2K: 2_000, TIER_10K: 10_000, TIER_100K: 100_000, TIER_UNLIMITED: -1 };
const QUALITIES: readonly QualityRating[] = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'];
const STATUSES: ReadonlyArray<PhoneNumber['status']> = ['PENDING', 'CONNECTED', 'FLAGGED', 'RESTRICTED', 'RATE_LIMITED', 'DISCONNECTED', 'MIGRATED', 'BANNED'];
const VERIFICATION: ReadonlyArray<Business['verificationStatus']> = ['verified', 'unverified', 'pending', 'expired'];

export function registerAssetControlRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get('/_emulator/phone_numbers/:id', async (request) => describePhone(ctx, phoneOf(ctx, request)));

  app.get('/_emulator/phone_numbers/:id/sim', async (request) => {
    const phone = phoneOf(ctx, request);
    return {
      phone_number_id: phone.id,
      display_phone_number: phone.displayPhoneNumber,
      pending_code: phone.pendingCode
        ? { code: phone.pendingCode.code, method: phone.pendingCode.method, sent_at: graphTime(phone.pendingCode.sentAt) }
        : null,
      code_locked_until: phone.codeLockedUntil !== undefined && phone.codeLockedUntil > ctx.clock.now() ? graphTime(phone.codeLockedUntil) : null,
      inbox: phone.simInbox.map((m) => ({ at: graphTime(m.at), method: m.method, text: m.text })),
    };
  });

  app.post('/_emulator/phone_numbers/:id/name_decision', async (request) => {
    const phone = phoneOf(ctx, request);
    const params = paramsOf(request);
    const decision = oneOf<NameDecision>(requiredString(params, 'decision').toUpperCase(), ['APPROVED', 'REJECTED', 'DEFERRED'], 'decision');
    const reasonParam = optionalString(params, 'rejection_reason');
    const reason = reasonParam === undefined ? undefined : oneOf<NameRejectionReason>(reasonParam, NAME_REJECTION_REASONS, 'rejection_reason');
    decideDisplayName(ctx, phone, decision, reason);
    return describePhone(ctx, phone);
  });

  app.post('/_emulator/phone_numbers/:id/quality', async (request) => {
    const phone = phoneOf(ctx, request);
    const quality = oneOf(requiredString(paramsOf(request), 'quality_rating').toUpperCase(), QUALITIES, 'quality_rating');
    const previous = phone.qualityRating;
    phone.qualityRating = quality;
    const event = quality === 'RED' && previous !== 'RED' ? 'FLAGGED' : previous === 'RED' && quality !== 'RED' ? 'UNFLAGGED' : undefined;
    if (event) emitQualityUpdate(ctx, phone, event);
    return { ...describePhone(ctx, phone), webhook_event: event ?? null };
  });

  app.post('/_emulator/phone_numbers/:id/throughput', async (request) => {
    const phone = phoneOf(ctx, request);
    const params = paramsOf(request);
    const level = optionalString(params, 'level');
    const mpsParam = params.mps;
    if (level === undefined && mpsParam === undefined) throw invalidParameter('Give level (STANDARD or HIGH) and/or mps.');
    let upgraded = false;
    if (level !== undefined) {
      const next = oneOf(level.toUpperCase(), ['STANDARD', 'HIGH'] as const, 'level');
      upgraded = next === 'HIGH' && phone.throughputLevel !== 'HIGH';
      phone.throughputLevel = next;
      phone.mps = next === 'HIGH' ? HIGH_MPS : STANDARD_MPS;
    }
    if (mpsParam !== undefined) {
      const mps = Number(mpsParam);
      if (!Number.isInteger(mps) || mps < 1 || mps > 100_000) throw invalidParameter('Param mps must be an integer from 1 to 100000.');
      phone.mps = mps;
    }
    if (upgraded) emitQualityUpdate(ctx, phone, 'THROUGHPUT_UPGRADE');
    return describePhone(ctx, phone);
  });

  app.post('/_emulator/phone_numbers/:id/status', async (request) => {
    const phone = phoneOf(ctx, request);
    phone.status = oneOf(requiredString(paramsOf(request), 'status').toUpperCase(), STATUSES, 'status');
    if (phone.status === 'CONNECTED') phone.platformType = 'CLOUD_API';
    return describePhone(ctx, phone);
  });

  app.post('/_emulator/businesses/:id/messaging_limit', async (request) => {
    const business = businessOf(ctx, request);
    const tier = oneOf(requiredString(paramsOf(request), 'tier').toUpperCase(), TIERS, 'tier');
    const changed = business.messagingLimitTier !== tier;
    business.messagingLimitTier = tier;
    if (changed) emitCapabilityUpdate(ctx, business);
    return describeBusiness(ctx, business);
  });

  app.post('/_emulator/businesses/:id/verification', async (request) => {
    const business = businessOf(ctx, request);
    business.verificationStatus = oneOf(requiredString(paramsOf(request), 'verification_status').toLowerCase(), VERIFICATION, 'verification_status');
    return describeBusiness(ctx, business);
  });
}

function emitQualityUpdate(ctx: EmulatorContext, phone: PhoneNumber, event: 'FLAGGED' | 'UNFLAGGED' | 'THROUGHPUT_UPGRADE'): void {
  const tier = tierOf(ctx, phone);
  ctx.webhooks.emit({
    wabaId: phone.wabaId,
    field: 'phone_number_quality_update',
    value: {
      display_phone_number: phone.waId,
      event,
      ...(tier ? { current_limit: tier, max_daily_conversations_per_business: tier } : {}),
    },
  });
}

function emitCapabilityUpdate(ctx: EmulatorContext, business: Business): void {
  for (const waba of ctx.state.wabasOfBusiness(business.id)) {
    ctx.webhooks.emit({
      wabaId: waba.id,
      field: 'business_capability_update',
      value: {
        max_daily_conversations_per_business: business.messagingLimitTier,
        // Deprecated integer form, still sent to apps on older versions (-1 is unlimited).
        max_daily_conversation_per_phone: TIER_SIZE[business.messagingLimitTier],
        max_phone_numbers_per_business: registeredNumberCap(ctx, business.id),
      },
    });
  }
}

function tierOf(ctx: EmulatorContext, phone: PhoneNumber): MessagingLimitTier | undefined {
  const waba = ctx.state.wabas.get(phone.wabaId);
  return waba ? ctx.state.businesses.get(waba.businessId)?.messagingLimitTier : undefined;
}

function phoneOf(ctx: EmulatorContext, request: FastifyRequest): PhoneNumber {
  const id = idParam(request);
  const phone = ctx.state.phoneNumbers.get(id);
  if (!phone) throw unknownObject(id, request.method.toLowerCase());
  return phone;
}

function businessOf(ctx: EmulatorContext, request: FastifyRequest): Business {
  const id = idParam(request);
  const business = ctx.state.businesses.get(id);
  if (!business) throw unknownObject(id, request.method.toLowerCase());
  return business;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw invalidParameter(`Param ${name} must be one of ${allowed.join(', ')}.`);
  return value as T;
}

export function describePhone(ctx: EmulatorContext, phone: PhoneNumber) {
  return {
    id: phone.id,
    waba_id: phone.wabaId,
    wa_id: phone.waId,
    display_phone_number: phone.displayPhoneNumber,
    verified_name: phone.verifiedName,
    name_status: phone.nameStatus,
    new_name_status: phone.newNameStatus ?? 'NONE',
    requested_verified_name: phone.requestedVerifiedName ?? null,
    code_verification_status: phone.codeVerificationStatus,
    status: phone.status,
    platform_type: phone.platformType,
    quality_rating: phone.qualityRating,
    throughput_level: phone.throughputLevel,
    mps: phone.mps,
    messaging_limit_tier: tierOf(ctx, phone) ?? null,
    pin: phone.pin ?? null,
    registration_calls_72h: phone.registrationEvents.filter((t) => t > ctx.clock.now() - 72 * 3_600_000).length,
    registration_blocked_until:
      phone.registrationBlockedUntil !== undefined && phone.registrationBlockedUntil > ctx.clock.now() ? graphTime(phone.registrationBlockedUntil) : null,
    webhook_override: phone.webhookOverride?.callbackUrl ?? null,
  };
}

function describeBusiness(ctx: EmulatorContext, business: Business) {
  return {
    id: business.id,
    name: business.name,
    verification_status: business.verificationStatus,
    messaging_limit_tier: business.messagingLimitTier,
    max_phone_numbers_per_business: registeredNumberCap(ctx, business.id),
    waba_ids: ctx.state.wabasOfBusiness(business.id).map((w) => w.id),
  };
}
