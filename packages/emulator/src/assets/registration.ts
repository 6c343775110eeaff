/**
 * Verifying and registering a number (reference §1.4):
 *   POST /{id}/request_code  code_method SMS|VOICE and language, both required. The 6-digit code
 *                            lands in the number's simulated SIM (GET /_emulator/phone_numbers/{id}/sim).
 *   POST /{id}/verify_code   code (JSON, form or query); right → code_verification_status VERIFIED.
 *   POST /{id}/register      messaging_product + 6-digit pin → CONNECTED on CLOUD_API.
 *   POST /{id}/deregister    off the Cloud API (history and number stay).
 *
 * Limits and the codes chosen where Meta documents none:
 * - More than 3 code requests within CODE_REQUEST_WINDOW_MS lock requests for CODE_LOCK_MS (about
 *   8 h, per the BSP guidance in seed 004). Refused with code 4 ("API Too Many Calls", HTTP 429),
 *   the code Meta's OpenAPI gives for request_code throttling, with the unlock time in details.
 * - A wrong or missing code is 100 with details (Meta's own code for this is undocumented).
 * - register + deregister: 10 calls per number per moving 72 h; the 11th is 133016 and blocks both
 *   for 72 h. Register needs VERIFIED (or a pre-verified number), else 133006; a set PIN must match,
 *   else 133005; an unset PIN becomes the two-step PIN.
 * - Registered numbers per business portfolio: 2, or 20 once the business is verified or its
 *   messaging limit is above TIER_250 (reference §1.4); past it, 100 with details.
 */
import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ErrorCode, GraphError, invalidParameter } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import { pushBounded } from '../state/bounded.js';
import type { PhoneNumber } from '../state/types.js';
import { phoneCall } from './access.js';
import { applyApprovedName } from './display-name.js';
import { graphTime } from './graph-time.js';
import { idParam, optionalString, paramsOf, requiredString } from './params.js';
import { PIN_PATTERN } from './phone-numbers.js';

export const CODE_REQUEST_WINDOW_MS = 3_600_000;
export const CODE_REQUESTS_PER_WINDOW = 3;
export const CODE_LOCK_MS = 8 * 3_600_000;
export const REGISTRATION_WINDOW_MS = 72 * 3_600_000;
export const REGISTRATIONS_PER_WINDOW = 10;
export const SIM_INBOX_LIMIT = 50;

export function registerRegistrationRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post('/:id/request_code', async (request) => {
    const { phone } = phoneCall(ctx, request, idParam(request));
    const params = paramsOf(request);
    const method = requiredString(params, 'code_method').toUpperCase();
    if (method !== 'SMS' && method !== 'VOICE') throw invalidParameter('Param code_method must be SMS or VOICE.');
    const language = requiredString(params, 'language');
    if (!/^[a-z]{2,3}([_-][A-Za-z]{2,4})?$/.test(language)) throw invalidParameter('Param language must be a language code such as en or en_US.');
    const now = ctx.clock.now();
    if (phone.codeLockedUntil !== undefined && phone.codeLockedUntil > now) throw codeLocked(phone.codeLockedUntil);
    phone.codeRequests = phone.codeRequests.filter((t) => t > now - CODE_REQUEST_WINDOW_MS);
    if (phone.codeRequests.length >= CODE_REQUESTS_PER_WINDOW) {
      phone.codeLockedUntil = now + CODE_LOCK_MS;
      throw codeLocked(phone.codeLockedUntil);
    }
    phone.codeRequests.push(now);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    phone.pendingCode = { code, method, sentAt: now };
    const text =
      method === 'SMS'
        ? `WhatsApp Business code ${code.slice(0, 3)}-${code.slice(3)}. Don't share this code with others.`
        : `Your WhatsApp Business verification code is ${code.split('').join(' ')}.`;
    pushBounded(phone.simInbox, { at: now, method, text }, SIM_INBOX_LIMIT);
    return { success: true };
  });

  app.post('/:id/verify_code', async (request) => {
    const { phone } = phoneCall(ctx, request, idParam(request));
    const code = requiredString(paramsOf(request), 'code').replace(/[\s-]/g, '');
    if (!/^\d{6}$/.test(code)) throw invalidParameter('Param code must be the 6-digit verification code.');
    if (!phone.pendingCode || phone.pendingCode.code !== code) {
      throw invalidParameter("Code couldn't be verified: the code is wrong or has expired. Request a new code and try again.");
    }
    delete phone.pendingCode;
    phone.codeVerificationStatus = 'VERIFIED';
    return { success: true };
  });

  app.post('/:id/register', async (request) => {
    const { phone } = phoneCall(ctx, request, idParam(request));
    const params = paramsOf(request);
    const product = requiredString(params, 'messaging_product');
    if (product !== 'whatsapp') throw invalidParameter('Param messaging_product must be "whatsapp".');
    const pin = requiredString(params, 'pin');
    if (!PIN_PATTERN.test(pin)) throw invalidParameter('Param pin must be a 6-digit number.');
    const region = optionalString(params, 'data_localization_region');
    if (region !== undefined && !/^[A-Z]{2}$/.test(region)) throw invalidParameter('Param data_localization_region must be a 2-letter country code.');
    if (phone.status === 'BANNED' || phone.status === 'MIGRATED') {
      throw invalidParameter(`The phone number is ${phone.status} and cannot be registered.`);
    }
    chargeRegistrationCall(ctx, phone);
    if (!phone.isPreverified && phone.codeVerificationStatus !== 'VERIFIED') {
      throw new GraphError(ErrorCode.NeedsReverification, {
        details: 'Verify the phone number first: POST /{phone-number-id}/request_code, then /verify_code.',
      });
    }
    if (phone.pin !== undefined && phone.pin !== pin) {
      throw new GraphError(ErrorCode.PinMismatch, { details: 'The PIN does not match the two-step verification PIN of this phone number.' });
    }
    checkRegisteredCap(ctx, phone);
    phone.pin ??= pin;
    phone.status = 'CONNECTED';
    phone.platformType = 'CLOUD_API';
    applyApprovedName(phone);
    return { success: true };
  });

  app.post('/:id/deregister', async (request) => {
    const { phone } = phoneCall(ctx, request, idParam(request));
    if (phone.platformType === 'NOT_APPLICABLE') {
      throw new GraphError(ErrorCode.NotRegistered, { details: 'The phone number is not registered on the Cloud API.' });
    }
    chargeRegistrationCall(ctx, phone);
    phone.status = 'DISCONNECTED';
    phone.platformType = 'NOT_APPLICABLE';
    return { success: true };
  });
}

function codeLocked(until: number): GraphError {
  return new GraphError(ErrorCode.TooManyCalls, {
    message: '(#4) Too many verification code requests for this phone number',
    details: `More than ${CODE_REQUESTS_PER_WINDOW} verification codes were requested within ${CODE_REQUEST_WINDOW_MS / 60_000} minutes. Code requests for this number are blocked until ${graphTime(until)}.`,
    userTitle: 'Too many code requests',
    userMessage: 'Wait about 8 hours before requesting another verification code for this number.',
  });
}

/** Counts a register/deregister call against the 10-per-72h cap; the 11th blocks for 72 h. */
function chargeRegistrationCall(ctx: EmulatorContext, phone: PhoneNumber): void {
  const now = ctx.clock.now();
  const blocked = phone.registrationBlockedUntil;
  const refuse = (until: number) =>
    new GraphError(ErrorCode.RegisterRateLimit, {
      details: `More than ${REGISTRATIONS_PER_WINDOW} register and deregister requests within 72 hours. Try again after ${graphTime(until)}.`,
    });
  if (blocked !== undefined && blocked > now) throw refuse(blocked);
  phone.registrationEvents = phone.registrationEvents.filter((t) => t > now - REGISTRATION_WINDOW_MS);
  if (phone.registrationEvents.length >= REGISTRATIONS_PER_WINDOW) {
    phone.registrationBlockedUntil = now + REGISTRATION_WINDOW_MS;
    throw refuse(phone.registrationBlockedUntil);
  }
  phone.registrationEvents.push(now);
}

/** Registered numbers per business portfolio: 2, or 20 once verified or above TIER_250. */
export function registeredNumberCap(ctx: EmulatorContext, businessId: string): number {
  const business = ctx.state.businesses.get(businessId);
  if (!business) return 2;
  return business.verificationStatus === 'verified' || business.messagingLimitTier !== 'TIER_250' ? 20 : 2;
}

function checkRegisteredCap(ctx: EmulatorContext, phone: PhoneNumber): void {
  if (phone.platformType === 'CLOUD_API') return;
  const waba = ctx.state.wabas.get(phone.wabaId);
  if (!waba) return;
  const cap = registeredNumberCap(ctx, waba.businessId);
  const registered = ctx.state
    .wabasOfBusiness(waba.businessId)
    .flatMap((w) => ctx.state.phonesOfWaba(w.id))
    .filter((p) => p.platformType === 'CLOUD_API').length;
  if (registered >= cap) {
    throw invalidParameter(`The business portfolio already has ${registered} registered phone numbers, its limit (${cap}). Verify the business to register up to 20.`);
  }
}
