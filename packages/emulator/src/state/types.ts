/**
 * The emulator's model of Meta's side. Businesses own WABAs; WABAs are shared with apps (through
 * subscribed_apps and tokens); phone numbers belong to one WABA at a time and can move. Everything
 * lives in memory; histories are bounded (see state.ts).
 */

export type QualityRating = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
export type MessagingLimitTier = 'TIER_250' | 'TIER_2K' | 'TIER_10K' | 'TIER_100K' | 'TIER_UNLIMITED';

export interface App {
  id: string;
  secret: string;
  name: string;
  /** Graph version the app's webhooks are shaped for (status `conversation` rules differ at v24). */
  webhookVersion: string;
  /** App-level webhook subscription per object (only "whatsapp_business_account" is used). */
  subscriptions: Map<string, AppSubscription>;
}

export interface AppSubscription {
  object: string;
  callbackUrl: string;
  verifyToken: string;
  fields: Set<string>;
  active: boolean;
}

/** A token and what it may touch. App tokens ("{app-id}|{secret}") are resolved separately. */
export interface AccessToken {
  token: string;
  appId: string;
  /** The business whose system user holds the token. */
  businessId: string;
  /** WABAs this token may manage and message through (owned or shared). */
  wabaIds: Set<string>;
  scopes: string[];
  expiresAt?: number;
  /** The system user holding the token (assigned_users grants reach the user's tokens). */
  userId?: string;
  issuedAt?: number;
}

/** A business's system user: the identity behind a system-user access token. */
export interface SystemUser {
  id: string;
  name: string;
  businessId: string;
  role: 'ADMIN' | 'EMPLOYEE';
}

export interface Business {
  id: string;
  name: string;
  verificationStatus: 'verified' | 'unverified' | 'pending' | 'expired';
  /** Portfolio-level messaging limit (reference §4.2). */
  messagingLimitTier: MessagingLimitTier;
}

export interface Waba {
  id: string;
  name: string;
  businessId: string;
  currency: string;
  timezoneId: string;
  messageTemplateNamespace: string;
  accountReviewStatus: 'APPROVED' | 'PENDING' | 'REJECTED' | 'DEFERRED';
  /** Apps subscribed to this WABA's webhooks, with an optional WABA-level override. */
  subscribedApps: Map<string, { overrideCallbackUri?: string; verifyToken?: string }>;
  /** System users assigned to the WABA and their tasks. */
  assignedUsers: Map<string, string[]>;
}

export interface BusinessProfile {
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  websites?: string[];
  vertical?: string;
  profile_picture_url?: string;
}

export interface PhoneNumber {
  id: string;
  wabaId: string;
  /** E.164 digits, the number's wa_id. */
  waId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  codeVerificationStatus: 'VERIFIED' | 'NOT_VERIFIED' | 'EXPIRED';
  qualityRating: QualityRating;
  nameStatus: 'APPROVED' | 'AVAILABLE_WITHOUT_REVIEW' | 'DECLINED' | 'EXPIRED' | 'PENDING_REVIEW' | 'NONE';
  newNameStatus?: PhoneNumber['nameStatus'];
  requestedVerifiedName?: string;
  status: 'PENDING' | 'CONNECTED' | 'FLAGGED' | 'RESTRICTED' | 'RATE_LIMITED' | 'DISCONNECTED' | 'MIGRATED' | 'BANNED';
  platformType: 'CLOUD_API' | 'NOT_APPLICABLE';
  accountMode: 'SANDBOX' | 'LIVE';
  throughputLevel: 'STANDARD' | 'HIGH';
  /** Messages per second the number may send (80 by default, 1,000 when upgraded). */
  mps: number;
  isPreverified: boolean;
  /** Two-step verification PIN, once set. */
  pin?: string;
  /** Times of register/deregister calls, for the 10-per-72h cap. */
  registrationEvents: number[];
  /** Set when the 10-per-72h cap was exceeded: register/deregister refuse until then. */
  registrationBlockedUntil?: number;
  /** Times of request_code calls, for the lockout. */
  codeRequests: number[];
  codeLockedUntil?: number;
  /** The code last sent by SMS/VOICE, readable through the control API (the simulated SIM). */
  pendingCode?: { code: string; method: 'SMS' | 'VOICE'; sentAt: number };
  simInbox: Array<{ at: number; method: 'SMS' | 'VOICE'; text: string }>;
  profile: BusinessProfile;
  webhookOverride?: { callbackUrl: string; verifyToken: string };
  lastOnboardedTime: number;
}
