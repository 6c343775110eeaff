/** A message as the control API shows it (GET /_emulator/messages/{wamid}, a user's inbox). */
import type { Message } from './message.js';

export function presentMessage(message: Message) {
  return {
    id: message.id,
    direction: message.direction,
    phone_number_id: message.phoneNumberId,
    waba_id: message.wabaId,
    wa_id: message.waId,
    type: message.type,
    status: message.status,
    statuses: message.statuses,
    created_at: message.createdAt,
    ...(message.contextId !== undefined ? { context_id: message.contextId } : {}),
    ...(message.template ? { template: message.template } : {}),
    ...(message.category ? { category: message.category } : {}),
    ...(message.pricing ? { pricing: message.pricing } : {}),
    ...(message.error ? { error: message.error } : {}),
    ...(message.bizOpaqueCallbackData !== undefined ? { biz_opaque_callback_data: message.bizOpaqueCallbackData } : {}),
    /** Outbound: the type's object as sent. Inbound: the message as the webhook carried it. */
    content: message.direction === 'outbound' ? message.payload[message.type] : message.payload,
  };
}
