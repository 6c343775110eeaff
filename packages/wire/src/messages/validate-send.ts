/**
 * Synchronous validation of `POST /{phone-number-id}/messages`, worded as Meta words it. Both the
 * emulator (playing Meta) and the platform (checking a tenant's request before queueing it) call
 * this, so a request one accepts the other accepts too.
 *
 * Codes (reference §3.2, §8):
 * - 100 "The parameter to is required." for a missing envelope field (`messaging_product`, `to`,
 *   `message_id` of a read receipt); 100 "Invalid parameter" for wrong JSON types, lengths, counts
 *   and enumerations ("Param text['body'] must be at most 4096 characters long.");
 * - 131008 when the type's object, or a field it requires, is missing;
 * - 131009 for values of the right type that are not valid (a link that is not http(s), id and
 *   link together, duplicate button titles, a reaction that is not an emoji…);
 * - 131051 for an unknown `type`; 131062 for a `recipient` (BSUID) without `to`.
 *
 * What needs state (the number is registered, the template exists, the media id exists, the user
 * is reachable) is checked by the caller.
 *
 * @example
 * const send = validateSendRequest(JSON.parse(body));
 * if (send.kind === 'read') markRead(send.request.message_id);
 * else enqueue(send.to, send.request);
 */
import { ErrorCode } from '../errors/catalogue.js';
import { missingParameter } from '../errors/common.js';
import { GraphError } from '../errors/graph-error.js';
import { toWaId } from '../phone/wa-id.js';
import { checkSchema, invalidError, requiredError, valueError } from './check-schema.js';
import { checkInteractive } from './interactive-rules.js';
import { checkMediaReference } from './media-reference.js';
import {
  MarkReadRequest,
  MESSAGE_TYPES,
  SendEnvelope,
  TYPE_OBJECTS,
  type InteractiveContent,
  type MarkReadFields,
  type MessageType,
  type ReactionContent,
  type SendMessageRequest,
} from './send-schemas.js';

export type ValidatedSend =
  | { kind: 'message'; type: MessageType; to: string; request: SendMessageRequest }
  | { kind: 'read'; request: MarkReadFields; typingIndicator: boolean };

const TYPE_SET: ReadonlySet<string> = new Set(MESSAGE_TYPES);

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && TYPE_SET.has(value);
}

export function validateSendRequest(body: unknown): ValidatedSend {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw missingParameter('messaging_product');
  const fields = body as Record<string, unknown>;
  if (fields.messaging_product === undefined || fields.messaging_product === null) throw missingParameter('messaging_product');

  if (fields.status !== undefined) {
    if (fields.message_id === undefined || fields.message_id === null) throw missingParameter('message_id');
    checkSchema(MarkReadRequest, fields, '');
    const request = fields as MarkReadFields;
    return { kind: 'read', request, typingIndicator: request.typing_indicator !== undefined };
  }

  let to = fields.to;
  if (to === undefined || to === null || to === '') {
    if (fields.recipient !== undefined) {
      throw new GraphError(ErrorCode.BsuidNotSupported, {
        details: 'Sending to a business-scoped user id (recipient) is not supported for this message; use to.',
      });
    }
    throw missingParameter('to');
  }
  // Graph parameters are strings; SDKs that send the number as a JSON number still get through.
  if (typeof to === 'number' && Number.isSafeInteger(to) && to > 0) to = String(to);
  const envelope = to === fields.to ? fields : { ...fields, to };
  checkSchema(SendEnvelope, envelope, '');
  if (envelope.recipient_type === 'group') throw valueError('Group messages are not supported for this phone number.');

  const type = fields.type ?? 'text';
  if (typeof type !== 'string') throw invalidError('Param type must be a string.');
  if (!isMessageType(type)) {
    throw new GraphError(ErrorCode.UnsupportedMessageType, { details: `Message type ${type} is not supported.` });
  }
  const content = fields[type];
  if (content === undefined || content === null) throw requiredError(type);
  checkSchema(TYPE_OBJECTS[type], content, type);
  checkContent(type, content, envelope);

  return { kind: 'message', type, to: envelope.to as string, request: envelope as SendMessageRequest };
}

function checkContent(type: MessageType, content: unknown, envelope: Record<string, unknown>): void {
  switch (type) {
    case 'image':
    case 'video':
    case 'document':
      checkMediaReference(content as { id?: string; link?: string }, type);
      return;
    case 'audio':
    case 'sticker':
      checkMediaReference(content as { id?: string; link?: string }, type);
      if ((content as Record<string, unknown>).caption !== undefined) throw valueError(`Param ${type}['caption'] is not supported for ${type} messages.`);
      return;
    case 'interactive':
      checkInteractive(content as InteractiveContent);
      return;
    case 'reaction': {
      const { emoji } = content as ReactionContent;
      if (emoji !== '' && !isEmoji(emoji)) throw valueError("Param reaction['emoji'] must be a single emoji, or empty to remove the reaction.");
      if (envelope.context !== undefined) throw valueError('A reaction cannot be sent as a contextual reply; remove context.');
      return;
    }
    default:
      return;
  }
}

const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;
const LETTER_OR_SPACE = /[\p{L}\s]/u;

/** One emoji, possibly a ZWJ sequence, a flag or a keycap: pictographic, no letters or spaces. */
function isEmoji(text: string): boolean {
  return text.length <= 32 && PICTOGRAPH.test(text) && !LETTER_OR_SPACE.test(text);
}

/**
 * The recipient's wa_id as Meta normalises `to` (wire's `toWaId`: the business number's calling
 * code is prepended when there is no "+"); 100 when it cannot be a phone number.
 */
export function recipientWaId(to: string, businessCallingCode: string | undefined): string {
  const waId = toWaId(to, businessCallingCode);
  if (!waId) throw invalidError(`Param to must be a valid phone number; "${to.slice(0, 40)}" is not.`);
  return waId;
}
