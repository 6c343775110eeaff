/**
 * `{status:"read", message_id}` on the send endpoint (reference §1.1.3): marks a message the
 * number received, and every earlier one from that user, as read; an optional typing indicator
 * shows for 25 s or until the business's next message. Answers `{success: true}`.
 */
import { valueError, type MarkReadFields } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { PhoneNumber } from '../state/types.js';
import { userFor } from '../users/sim-user.js';

const TYPING_INDICATOR_MS = 25_000;

export function markRead(ctx: EmulatorContext, phone: PhoneNumber, request: MarkReadFields, typingIndicator: boolean): { success: true } {
  const message = ctx.state.messages.get(request.message_id);
  if (!message || message.direction !== 'inbound' || message.phoneNumberId !== phone.id) {
    throw valueError(`Param message_id ${request.message_id} is not a message received by this phone number.`);
  }
  const now = ctx.clock.now();
  const user = userFor(ctx.state, message.waId);
  for (const received of [message, ...user.outbox]) {
    if (received.phoneNumberId === phone.id && received.createdAt <= message.createdAt && received.status === 'received') {
      received.status = 'read';
      received.statuses.push({ status: 'read', at: now });
    }
  }
  if (typingIndicator) user.typingUntil = now + TYPING_INDICATOR_MS;
  return { success: true };
}
