/**
 * Factories for the assets of Meta's side, with the defaults Meta gives a new object: a business
 * portfolio, a WABA, a phone number added but not registered, an app, a system user and its token.
 * Each puts the object into the state and returns it.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { callingCode, displayPhoneNumber, newGraphId } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { EmulatorState } from '../state/state.js';
import type { AccessToken, App, Business, MessagingLimitTier, PhoneNumber, SystemUser, Waba } from '../state/types.js';

/** Default Graph version of an app's webhooks. */
export const DEFAULT_WEBHOOK_VERSION = 'v23.0';
/** Cloud API numbers send 80 messages/s until upgraded (reference §4.1). */
export const STANDARD_MPS = 80;
export const HIGH_MPS = 1_000;

/** Whether any object already has this id (Graph ids are unique across kinds). */
export function idInUse(state: EmulatorState, id: string): boolean {
  return (
    state.apps.has(id) || state.businesses.has(id) || state.wabas.has(id) || state.phoneNumbers.has(id) ||
    state.templates.has(id) || state.media.has(id) || state.systemUsers.has(id)
  );
}

/** A Graph id not used by any object yet. */
export function freshId(state: EmulatorState): string {
  for (;;) {
    const id = newGraphId();
    if (!idInUse(state, id)) return id;
  }
}

/** Meta's display form of a number: "+1 631-555-5555" for NANP numbers, international format elsewhere. */
export function metaDisplayNumber(waId: string): string {
  const nanp = /^1(\d{3})(\d{3})(\d{4})$/.exec(waId);
  if (nanp) return `+1 ${nanp[1]}-${nanp[2]}-${nanp[3]}`;
  return displayPhoneNumber(waId);
}

/** A random, unused US-style test number "1555xxxxxxx" (Meta's test numbers look like 15550783881). */
export function randomTestNumber(state: EmulatorState): string {
  const used = new Set([...state.phoneNumbers.values()].map((p) => p.waId));
  for (;;) {
    const waId = `1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
    if (!used.has(waId)) return waId;
  }
}

export function createBusiness(
  ctx: EmulatorContext,
  options: { id?: string; name: string; verificationStatus?: Business['verificationStatus']; messagingLimitTier?: MessagingLimitTier },
): Business {
  const business: Business = {
    id: options.id ?? freshId(ctx.state),
    name: options.name,
    verificationStatus: options.verificationStatus ?? 'unverified',
    // New portfolios start at 250 unique users per 24 h (reference §4.2).
    messagingLimitTier: options.messagingLimitTier ?? 'TIER_250',
  };
  ctx.state.businesses.set(business.id, business);
  return business;
}

export function createWaba(ctx: EmulatorContext, options: { id?: string; businessId: string; name: string; currency?: string; timezoneId?: string }): Waba {
  const waba: Waba = {
    id: options.id ?? freshId(ctx.state),
    name: options.name,
    businessId: options.businessId,
    currency: options.currency ?? 'USD',
    timezoneId: options.timezoneId ?? '1',
    // Meta's namespaces look like "ba30dd89_2ebd_41e4_b805_f2c05ae04cc9".
    messageTemplateNamespace: randomUUID().replaceAll('-', '_'),
    accountReviewStatus: 'APPROVED',
    subscribedApps: new Map(),
    assignedUsers: new Map(),
  };
  ctx.state.wabas.set(waba.id, waba);
  return waba;
}

/** A number as `POST /{waba-id}/phone_numbers` leaves it: PENDING, NOT_VERIFIED, not on Cloud API. */
export function createPhoneNumber(ctx: EmulatorContext, options: { id?: string; wabaId: string; waId: string; verifiedName: string }): PhoneNumber {
  const phone: PhoneNumber = {
    id: options.id ?? freshId(ctx.state),
    wabaId: options.wabaId,
    waId: options.waId,
    displayPhoneNumber: metaDisplayNumber(options.waId),
    verifiedName: options.verifiedName,
    codeVerificationStatus: 'NOT_VERIFIED',
    qualityRating: 'UNKNOWN',
    nameStatus: 'NONE',
    status: 'PENDING',
    platformType: 'NOT_APPLICABLE',
    accountMode: 'LIVE',
    throughputLevel: 'STANDARD',
    mps: STANDARD_MPS,
    isPreverified: false,
    registrationEvents: [],
    codeRequests: [],
    simInbox: [],
    profile: {},
    lastOnboardedTime: ctx.clock.now(),
  };
  ctx.state.phoneNumbers.set(phone.id, phone);
  return phone;
}

export function createApp(ctx: EmulatorContext, options: { id?: string; secret?: string; name?: string; webhookVersion?: string } = {}): App {
  const app: App = {
    id: options.id ?? freshId(ctx.state),
    secret: options.secret ?? randomBytes(16).toString('hex'),
    name: options.name ?? 'Switchboard Test App',
    webhookVersion: options.webhookVersion ?? DEFAULT_WEBHOOK_VERSION,
    subscriptions: new Map(),
  };
  ctx.state.apps.set(app.id, app);
  return app;
}

export function createSystemUser(ctx: EmulatorContext, options: { businessId: string; name: string; role?: SystemUser['role'] }): SystemUser {
  const user: SystemUser = { id: freshId(ctx.state), name: options.name, businessId: options.businessId, role: options.role ?? 'ADMIN' };
  ctx.state.systemUsers.set(user.id, user);
  return user;
}

/** A long-lived system-user token ("EAA…", never containing "|", which marks app tokens). */
export function createAccessToken(
  ctx: EmulatorContext,
  options: { token?: string; appId: string; businessId: string; userId?: string; wabaIds?: Iterable<string>; scopes?: string[] },
): AccessToken {
  const token: AccessToken = {
    token: options.token ?? `EAAG${randomBytes(96).toString('base64url')}`,
    appId: options.appId,
    businessId: options.businessId,
    wabaIds: new Set(options.wabaIds ?? []),
    scopes: options.scopes ?? ['whatsapp_business_management', 'whatsapp_business_messaging', 'business_management'],
    issuedAt: ctx.clock.now(),
    ...(options.userId !== undefined ? { userId: options.userId } : {}),
  };
  ctx.state.tokens.set(token.token, token);
  return token;
}

/** The country calling code of a number ("1" for 15550783881). */
export function countryDialCode(waId: string): string | undefined {
  return callingCode(waId);
}
