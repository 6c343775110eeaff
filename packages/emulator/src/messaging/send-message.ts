/**
 * `POST /{phone-number-id}/messages`, in the order Meta's checks surface: token (190), number
 * and access (100/33, 200), registration (133010), the body (wire's validateSendRequest: 100,
 * 131008, 131009, 131051), the recipient (100, 131021), the template (132xxx, templates module),
 * throughput and pair rate (130429, 131056). What passes is accepted with a wamid; its fate
 * (sent, delivered, read, or failed) follows on the clock (lifecycle.ts).
 */
import type { FastifyRequest } from 'fastify';
import { ErrorCode, GraphError, newWamid, recipientWaId, validateSendRequest, type SendMessageRequest } from '@switchboard/wire';
import { authenticate, phoneFor } from '../graph/auth.js';
import type { PhoneNumber } from '../state/types.js';
import { checkTemplateSend } from '../templates/check-send.js';
import { userFor } from '../users/sim-user.js';
import { startLifecycle } from './lifecycle.js';
import { markRead } from './mark-read.js';
import type { Message, PricingCategory } from './message.js';
import type { MessagingRuntime } from './messaging-runtime.js';

export interface SendResponse {
  messaging_product: 'whatsapp';
  contacts: Array<{ input: string; wa_id: string }>;
  messages: Array<{ id: string; message_status?: 'accepted' }>;
}

export function handleSend(runtime: MessagingRuntime, request: FastifyRequest, phoneNumberId: string): SendResponse | { success: true } {
  const { ctx } = runtime;
  const principal = authenticate(ctx, request);
  const phone = phoneFor(ctx, principal, phoneNumberId, 'post');
  if (phone.status !== 'CONNECTED') {
    throw new GraphError(ErrorCode.NotRegistered, {
      details: `Phone number ${phone.id} is not registered with the Cloud API; register it before sending messages.`,
    });
  }
  const send = validateSendRequest(isForm(request) ? decodeFormParams(request.body) : request.body);
  if (send.kind === 'read') return markRead(ctx, phone, send.request, send.typingIndicator);

  const waId = recipientOf(runtime, phone, send.to);
  if (waId === phone.waId) {
    throw new GraphError(ErrorCode.RecipientCannotBeSender, { details: 'The recipient is the sending phone number itself.' });
  }
  let category: PricingCategory = 'service';
  let template: Message['template'];
  if (send.type === 'template') {
    const checked = checkTemplateSend(ctx, phone, send.request.template);
    category = checked.category;
    template = { name: checked.template.name, language: checked.template.language };
  }
  const now = ctx.clock.now();
  runtime.rates.admit(phone, waId, now);

  const message = newMessage(phone, waId, send.type, send.request, category, now);
  if (template) message.template = template;
  ctx.state.messages.set(message.id, message);
  startLifecycle(runtime, phone, userFor(ctx.state, waId), message, now);

  return {
    messaging_product: 'whatsapp',
    contacts: [{ input: send.to, wa_id: waId }],
    messages: [send.type === 'template' ? { id: message.id, message_status: 'accepted' } : { id: message.id }],
  };
}

function newMessage(phone: PhoneNumber, waId: string, type: string, request: SendMessageRequest, category: PricingCategory, now: number): Message {
  const contextId = type === 'reaction' ? request.reaction?.message_id : request.context?.message_id;
  return {
    id: newWamid(waId),
    direction: 'outbound',
    phoneNumberId: phone.id,
    wabaId: phone.wabaId,
    waId,
    type,
    payload: request,
    status: 'accepted',
    statuses: [{ status: 'accepted', at: now }],
    createdAt: now,
    category,
    ...(request.biz_opaque_callback_data !== undefined ? { bizOpaqueCallbackData: request.biz_opaque_callback_data } : {}),
    ...(contextId !== undefined ? { contextId } : {}),
  };
}

function recipientOf(runtime: MessagingRuntime, phone: PhoneNumber, to: string): string {
  const code = runtime.callingCodeOf(phone.waId);
  const key = `${code ?? ''}|${to}`;
  let waId = runtime.recipients.get(key);
  if (waId === undefined) {
    waId = recipientWaId(to, code);
    runtime.recipients.set(key, waId);
  }
  return waId;
}

function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

/**
 * The Graph API takes object parameters of a form-encoded request as JSON strings
 * (`text={"body":"hi"}`); decode those so the body validates like its JSON twin.
 */
function decodeFormParams(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const decoded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    decoded[key] = value;
    if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
      try {
        decoded[key] = JSON.parse(value);
      } catch {
        // Not JSON after all: validation reports the parameter as it is.
      }
    }
  }
  return decoded;
}
