/**
 * Simulated WhatsApp users: the people on the other end. Any wa_id the emulator has not seen is an
 * existing, online user with the defaults below; the control API changes a user's settings
 * (not on WhatsApp, offline, slow, never reads, blocked the business, stopped marketing, replies
 * automatically…). All delays run on the emulator's clock.
 */
import type { EmulatorState } from '../state/state.js';
import type { Message } from '../messaging/message.js';

/** An inbound message a user sends by script (same shape as the control API's body, minus routing). */
export type ScriptedMessage = Record<string, unknown> & { type?: string };

export interface ScriptedReply {
  /** Case-insensitive text the received message must contain (text body, caption, button or
   * template name); absent matches everything. */
  match?: string;
  /** The message to send back; interactive and button replies quote the received message. */
  reply: ScriptedMessage;
  delayMs?: number;
  /** Use this rule only once (then it is removed). */
  once?: boolean;
}

export interface SimUserSettings {
  /** false: sends fail with 131026 (not a WhatsApp user). */
  onWhatsApp: boolean;
  /** false: messages stay `sent` and are delivered when the user comes back online. */
  online: boolean;
  /** Time from accepting a send to its `sent` status. */
  sentDelayMs: number;
  /** Time from `sent` to `delivered`. */
  deliveryDelayMs: number;
  /** Time from `delivered` to `read` (and from `read` to `played` for voice notes). */
  readDelayMs: number;
  /**
   * Share of delivered messages the user reads, 0..1. Deterministic: the user reads message n
   * (counting from 1) when floor(n·p) > floor((n-1)·p), so 0.5 reads every second message.
   */
  readProbability: number;
  /** Voice notes (audio with voice:true) that are read are also played (`played` status). */
  playsVoice: boolean;
  /** Phone-number ids this user has blocked: sends fail with 131026. */
  blocked: string[];
  /** Stopped marketing messages from these phone-number ids ("*" for all): marketing templates fail with 131050. */
  stoppedMarketing: string[];
  /**
   * Per-user marketing cap (131049): at most this many marketing templates that open a new
   * conversation (sent outside a service window) in a rolling 24 h, from all businesses.
   * null: no cap. Meta's cap is adaptive and unpublished; here it is set per user.
   */
  marketingCap: number | null;
  /** Reply automatically to every delivered message: a fixed text, or an echo of the text received. */
  autoReply: false | { text?: string; delayMs?: number };
  /** Replies picked by the first rule that matches a delivered message (before autoReply). */
  scriptedReplies: ScriptedReply[];
  profileName: string;
}

export const DEFAULT_USER_SETTINGS: Readonly<SimUserSettings> = Object.freeze({
  onWhatsApp: true,
  online: true,
  sentDelayMs: 50,
  deliveryDelayMs: 200,
  readDelayMs: 1_000,
  readProbability: 1,
  playsVoice: true,
  blocked: [],
  stoppedMarketing: [],
  marketingCap: null,
  autoReply: false,
  scriptedReplies: [],
  profileName: 'WhatsApp User',
});

/** Received and sent messages kept per user for the control API. */
export const INBOX_LIMIT = 200;

export interface SimUser {
  waId: string;
  settings: SimUserSettings;
  /** Messages received (business → user), newest last, bounded. */
  inbox: Message[];
  /** Messages sent (user → business), newest last, bounded. */
  outbox: Message[];
  /** Last inbound (user → business) message time per business phone-number id: the service window. */
  lastInboundAt: Map<string, number>;
  /** Last inbound arrival through a Click-to-WhatsApp ad or Page CTA, per phone-number id. */
  referralAt: Map<string, number>;
  /** Free entry point windows (72 h from the business's reply to a referral), per phone-number id. */
  freeEntryPoint: Map<string, { id: string; until: number }>;
  /** Delivered messages counted for the read decision. */
  deliveredCount: number;
  /** Marketing templates that opened a conversation, for the per-user cap (times, newest last). */
  marketingReceivedAt: number[];
  /** Outbound messages waiting for the user to come online, in order. */
  pendingDelivery: Message[];
  /** Until when the business's typing indicator shows (virtual ms). */
  typingUntil?: number;
}

/** The user with this wa_id, created with defaults on first contact. */
export function userFor(state: EmulatorState, waId: string): SimUser {
  let user = state.users.get(waId);
  if (!user) {
    user = {
      waId,
      settings: DEFAULT_USER_SETTINGS,
      inbox: [],
      outbox: [],
      lastInboundAt: new Map(),
      referralAt: new Map(),
      freeEntryPoint: new Map(),
      deliveredCount: 0,
      marketingReceivedAt: [],
      pendingDelivery: [],
    };
    state.users.set(waId, user);
  }
  return user;
}

/** Whether the user's service window with this phone number is open now (24 h since their last message). */
export function windowOpen(user: SimUser, phoneNumberId: string, now: number): boolean {
  const last = user.lastInboundAt.get(phoneNumberId);
  return last !== undefined && now - last < SERVICE_WINDOW_MS;
}

export const SERVICE_WINDOW_MS = 24 * 3_600_000;

/** The deterministic read decision for the user's next delivered message (see readProbability). */
export function readsNext(user: SimUser): boolean {
  const p = Math.min(Math.max(user.settings.readProbability, 0), 1);
  const n = ++user.deliveredCount;
  return Math.floor(n * p + 1e-9) > Math.floor((n - 1) * p + 1e-9);
}
