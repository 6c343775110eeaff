/**
 * What happens to an accepted message, decided when it is accepted (so the outcome does not depend
 * on when the clock is advanced) and reported later as a `failed` status (reference §8: Meta
 * answers 200 and fails asynchronously). In order:
 * - 131053: the media id does not exist, expired, or is not of the message's type;
 * - 131026: the user is not on WhatsApp, or blocked this business number;
 * - 131009: a reaction to a message that is unknown, more than 30 days old, another user's, or itself a reaction;
 * - 131047: a non-template message outside the user's 24 h service window with this number;
 * - 131050: a marketing template to a user who stopped marketing from this number ("*": all);
 * - 131049: a marketing template opening a conversation past the user's marketingCap in 24 h;
 * - 131048: a template opening a conversation with one user more than the portfolio's messaging
 *   limit allows (limits/messaging-limit.ts explains the choice of code).
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, MEDIA_MESSAGE_TYPES, mediaFitsType, webhookError, type MediaMessageType, type WebhookError } from '@switchboard/wire';
import { liveMedia } from '../media/media-store.js';
import type { PhoneNumber } from '../state/types.js';
import { SERVICE_WINDOW_MS, windowOpen, type SimUser } from '../users/sim-user.js';
import type { Message, PricingCategory } from './message.js';
import type { MessagingRuntime } from './messaging-runtime.js';

export interface Outcome {
  error?: WebhookError;
  inServiceWindow: boolean;
  /** Set when the message falls in (or opens) a free entry point window. */
  freeEntryPoint?: { id: string; until: number };
}

const REACTION_TARGET_MAX_AGE_MS = 30 * 24 * 3_600_000;
const FREE_ENTRY_POINT_MS = 72 * 3_600_000;
const MEDIA_TYPES: ReadonlySet<string> = new Set(MEDIA_MESSAGE_TYPES);

export function decideOutcome(
  runtime: MessagingRuntime,
  phone: PhoneNumber,
  user: SimUser,
  message: Message,
  category: PricingCategory,
  now: number,
): Outcome {
  const inServiceWindow = windowOpen(user, phone.id, now);
  const fail = (code: number, details: string): Outcome => ({ error: webhookError(code, details), inServiceWindow });

  const mediaProblem = checkMedia(runtime, message);
  if (mediaProblem) return fail(ErrorCode.MediaUploadError, mediaProblem);

  const { settings } = user;
  if (!settings.onWhatsApp || settings.blocked.includes(phone.id)) {
    return fail(
      ErrorCode.Undeliverable,
      'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number; the recipient has not accepted our new Terms of Service; the recipient is using a deprecated version of WhatsApp.',
    );
  }
  if (message.type === 'reaction') {
    const problem = reactionProblem(runtime, message, now);
    if (problem) return fail(ErrorCode.ParameterValueInvalid, problem);
  }
  if (category === 'service' && !inServiceWindow) {
    return fail(ErrorCode.ReEngagement, 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.');
  }
  if (category === 'marketing') {
    if (settings.stoppedMarketing.includes(phone.id) || settings.stoppedMarketing.includes('*')) {
      return fail(ErrorCode.UserStoppedMarketing, 'The recipient has chosen to stop receiving marketing messages on WhatsApp from your business.');
    }
    if (!inServiceWindow && settings.marketingCap !== null && marketingReceived(user, now) >= settings.marketingCap) {
      return fail(ErrorCode.EcosystemEngagement, 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.');
    }
  }
  if (category !== 'service' && !inServiceWindow) {
    const waba = runtime.ctx.state.wabas.get(phone.wabaId);
    const business = waba && runtime.ctx.state.businesses.get(waba.businessId);
    if (business && !runtime.limits.admit(business, user.waId, now)) {
      return fail(
        ErrorCode.SpamRateLimit,
        `Message failed to send because the business portfolio reached its messaging limit (${business.messagingLimitTier}) of unique users outside a customer service window in 24 hours.`,
      );
    }
    if (category === 'marketing') {
      marketingReceived(user, now);
      user.marketingReceivedAt.push(now);
    }
  }
  return { inServiceWindow, ...freeEntryPoint(user, phone.id, now) };
}

function checkMedia(runtime: MessagingRuntime, message: Message): string | undefined {
  if (!MEDIA_TYPES.has(message.type)) return undefined;
  const type = message.type as MediaMessageType;
  const id = (message.payload[type] as { id?: string } | undefined)?.id;
  if (id === undefined) return undefined;
  const media = liveMedia(runtime.ctx, id);
  if (!media) return `Media ${id} was not found or has expired; upload it again.`;
  if (!mediaFitsType(media.mimeType, type)) return `Media ${id} is ${media.mimeType}, which cannot be sent as ${type}.`;
  return undefined;
}

function reactionProblem(runtime: MessagingRuntime, message: Message, now: number): string | undefined {
  const targetId = message.contextId;
  const target = targetId === undefined ? undefined : runtime.ctx.state.messages.get(targetId);
  if (!target || target.waId !== message.waId || target.phoneNumberId !== message.phoneNumberId) {
    return `Reaction target ${targetId} is not a message of this conversation.`;
  }
  if (target.type === 'reaction') return 'A reaction cannot react to another reaction.';
  if (now - target.createdAt > REACTION_TARGET_MAX_AGE_MS) return 'The message reacted to is more than 30 days old.';
  return undefined;
}

/** Marketing templates that opened a conversation with the user in the last 24 h (drops older ones). */
function marketingReceived(user: SimUser, now: number): number {
  const times = user.marketingReceivedAt;
  let expired = 0;
  while (expired < times.length && now - times[expired]! >= SERVICE_WINDOW_MS) expired++;
  if (expired > 0) times.splice(0, expired);
  return times.length;
}

/** The free entry point window the message falls in, opening one when it answers a referral of the last 24 h. */
function freeEntryPoint(user: SimUser, phoneNumberId: string, now: number): Pick<Outcome, 'freeEntryPoint'> {
  const open = user.freeEntryPoint.get(phoneNumberId);
  if (open && open.until > now) return { freeEntryPoint: open };
  const referralAt = user.referralAt.get(phoneNumberId);
  if (referralAt === undefined || now - referralAt >= SERVICE_WINDOW_MS) return {};
  user.referralAt.delete(phoneNumberId);
  const window = { id: randomConversationId(), until: now + FREE_ENTRY_POINT_MS };
  user.freeEntryPoint.set(phoneNumberId, window);
  return { freeEntryPoint: window };
}

/** Conversation ids look like "72b1…": 32 hex characters (randomUUID draws from a cached pool; randomBytes does not). */
export function randomConversationId(): string {
  return randomUUID().replaceAll('-', '');
}
