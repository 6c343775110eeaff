/**
 * Status webhooks of outbound messages (reference §2.4): one change per status, with `pricing` on
 * `sent` and on `delivered` (the one of delivered/read Meta picks here), `conversation` beside it
 * for apps on v23 or older and inside free entry point windows, `errors` on `failed` (no pricing:
 * a failed message is not charged).
 */
import type { EmulatorContext } from '../context.js';
import type { App, PhoneNumber } from '../state/types.js';
import type { Message, MessageStatus } from './message.js';
import { showsConversation } from './pricing.js';

/** `metadata` of every `messages` change of a number. */
export function metadataOf(phone: PhoneNumber): { display_phone_number: string; phone_number_id: string } {
  return { display_phone_number: phone.displayPhoneNumber.replace(/\D/g, ''), phone_number_id: phone.id };
}

export function unixSecondsString(ms: number): string {
  return String(Math.floor(ms / 1_000));
}

/** Records `status` on the message at virtual time `at` and tells subscribed apps. */
export function reportStatus(ctx: EmulatorContext, message: Message, status: MessageStatus, at: number): void {
  message.status = status;
  message.statuses.push({ status, at });
  const phone = ctx.state.phoneNumbers.get(message.phoneNumberId);
  if (!phone) return;

  const entry: Record<string, unknown> = {
    id: message.id,
    status,
    timestamp: unixSecondsString(at),
    recipient_id: message.waId,
  };
  if (message.bizOpaqueCallbackData !== undefined) entry.biz_opaque_callback_data = message.bizOpaqueCallbackData;
  if (status === 'failed' && message.error) entry.errors = [message.error];

  const priced = message.pricing !== undefined && (status === 'sent' || status === 'delivered');
  if (priced) entry.pricing = message.pricing;
  const value = (statusEntry: Record<string, unknown>) => ({
    messaging_product: 'whatsapp',
    metadata: metadataOf(phone),
    statuses: [statusEntry],
  });

  const conversation = message.conversation;
  if (!priced || !conversation) {
    ctx.webhooks.emit({ wabaId: phone.wabaId, field: 'messages', phoneNumberId: phone.id, value: value(entry) });
    return;
  }
  const withConversation = value({
    ...entry,
    conversation: {
      id: conversation.id,
      ...(status === 'sent' ? { expiration_timestamp: unixSecondsString(conversation.expiresAt) } : {}),
      origin: { type: conversation.origin },
    },
  });
  const without = value(entry);
  const freeEntryPoint = message.pricing?.type === 'free_entry_point';
  ctx.webhooks.emit({
    wabaId: phone.wabaId,
    field: 'messages',
    phoneNumberId: phone.id,
    value: without,
    valueFor: (app: App) => (showsConversation(app.webhookVersion, freeEntryPoint) ? withConversation : without),
  });
}
