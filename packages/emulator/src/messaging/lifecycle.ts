/**
 * An accepted outbound message's life on the virtual clock: `sent` (or `failed`) after the user's
 * sentDelayMs, `delivered` after deliveryDelayMs once the user is online (an offline user gets it
 * when back online), `read` after readDelayMs for the messages the user reads, `played` after
 * that for voice notes. Reactions only ever report `sent` (reference §2.4). Delivery triggers the
 * user's scripted or automatic reply.
 */
import { pushBounded } from '../state/bounded.js';
import type { PhoneNumber } from '../state/types.js';
import { scheduleReply } from '../users/replies.js';
import { INBOX_LIMIT, readsNext, type SimUser } from '../users/sim-user.js';
import type { Message } from './message.js';
import type { MessagingRuntime } from './messaging-runtime.js';
import { decideOutcome, randomConversationId } from './outcome.js';
import { priceOf } from './pricing.js';
import { reportStatus } from './status-webhook.js';

const CONVERSATION_MS = 24 * 3_600_000;

/** Decides the message's fate now and schedules its statuses. */
export function startLifecycle(runtime: MessagingRuntime, phone: PhoneNumber, user: SimUser, message: Message, now: number): void {
  const category = message.category ?? 'service';
  const outcome = decideOutcome(runtime, phone, user, message, category, now);
  const sentAt = now + user.settings.sentDelayMs;
  const { ctx } = runtime;
  if (outcome.error) {
    message.error = outcome.error;
    runtime.agenda.at(sentAt, (at) => reportStatus(ctx, message, 'failed', at));
    return;
  }
  const fep = outcome.freeEntryPoint;
  message.pricing = priceOf(category, outcome.inServiceWindow, fep !== undefined);
  message.conversation = fep
    ? { id: fep.id, expiresAt: fep.until, origin: 'referral_conversion' }
    : { id: randomConversationId(), expiresAt: sentAt + CONVERSATION_MS, origin: category };

  runtime.agenda.at(sentAt, (at) => {
    reportStatus(ctx, message, 'sent', at);
    user.typingUntil = undefined;
    if (message.type === 'reaction') {
      // A reaction changes the reacted message on the user's phone; Meta reports nothing more.
      pushBounded(user.inbox, message, INBOX_LIMIT);
      return;
    }
    runtime.agenda.at(at + user.settings.deliveryDelayMs, (deliveredAt) => deliver(runtime, user, message, deliveredAt));
  });
}

/** Delivers the messages an offline user missed, in order, now that they are online. */
export function deliverPending(runtime: MessagingRuntime, user: SimUser, now: number): void {
  const pending = user.pendingDelivery.splice(0);
  for (const message of pending) {
    runtime.agenda.at(now + user.settings.deliveryDelayMs, (at) => deliver(runtime, user, message, at));
  }
}

function deliver(runtime: MessagingRuntime, user: SimUser, message: Message, at: number): void {
  if (!user.settings.online) {
    user.pendingDelivery.push(message);
    return;
  }
  const { ctx } = runtime;
  reportStatus(ctx, message, 'delivered', at);
  pushBounded(user.inbox, message, INBOX_LIMIT);
  if (readsNext(user)) {
    runtime.agenda.at(at + user.settings.readDelayMs, (readAt) => {
      reportStatus(ctx, message, 'read', readAt);
      const audio = message.payload.audio as { voice?: unknown } | undefined;
      if (message.type === 'audio' && audio?.voice === true && user.settings.playsVoice) {
        runtime.agenda.at(readAt + user.settings.readDelayMs, (playedAt) => reportStatus(ctx, message, 'played', playedAt));
      }
    });
  }
  scheduleReply(runtime, user, message, at);
}
