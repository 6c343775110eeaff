/**
 * A simulated user writes to a business number: the control API's body becomes a message in
 * Meta's inbound shape (reference §2.4, OpenAPI IncomingMessage), a `messages` webhook with
 * `contacts` and `messages` (routed through the number's override), and an opened or refreshed
 * 24 h service window. Media the user sends is stored and gets a media id, like Meta's.
 *
 * Body: `{phone_number_id, type?, <type>: {...}, context?: {message_id}, referral?: {...}}`.
 * Media objects take `data` (base64) and `mime_type`, or the `id` of stored media, or nothing
 * (a small placeholder file). Interactive and button replies quote the latest interactive or
 * template message the user received from that number when no context is given. Any other type
 * arrives as `unsupported` with error 131051.
 */
import { invalidParameter, newWamid, webhookError, ErrorCode } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import { liveMedia, storeMedia } from '../media/media-store.js';
import type { Message } from '../messaging/message.js';
import type { MessagingRuntime } from '../messaging/messaging-runtime.js';
import { metadataOf, unixSecondsString } from '../messaging/status-webhook.js';
import { pushBounded } from '../state/bounded.js';
import type { PhoneNumber } from '../state/types.js';
import { INBOX_LIMIT, userFor, type SimUser } from './sim-user.js';

type Json = Record<string, unknown>;

const MEDIA_DEFAULT_MIME: Readonly<Record<string, string>> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg',
  document: 'application/pdf',
  sticker: 'image/webp',
};

export function receiveInbound(runtime: MessagingRuntime, waId: string, input: Json, at: number): Message {
  const { ctx } = runtime;
  const phoneId = input.phone_number_id;
  if (typeof phoneId !== 'string') throw invalidParameter('Give phone_number_id: the business number the user writes to.');
  const phone = ctx.state.phoneNumbers.get(phoneId);
  if (!phone) throw invalidParameter(`Phone number ${phoneId} does not exist.`);
  if (phone.status !== 'CONNECTED') throw invalidParameter(`Phone number ${phoneId} is not registered; it cannot receive messages.`);
  const user = userFor(ctx.state, waId);
  if (!user.settings.onWhatsApp) throw invalidParameter(`User ${waId} is not on WhatsApp (settings.onWhatsApp is false).`);

  const requested = typeof input.type === 'string' ? input.type : 'text';
  const id = newWamid(waId);
  const message: Json = { from: waId, id, timestamp: unixSecondsString(at), type: requested };
  const context = contextOf(runtime, phone, user, requested, input);
  if (context) message.context = context;
  if (isObject(input.referral)) message.referral = input.referral;

  const content = contentOf(runtime, phone, requested, input, at);
  if (content === undefined) {
    message.type = 'unsupported';
    message.errors = [{ ...webhookError(ErrorCode.UnsupportedMessageType, 'Message type is currently not supported.'), title: 'Message type unknown', message: 'Message type unknown' }];
  } else {
    message[requested] = content;
  }

  const record: Message = {
    id,
    direction: 'inbound',
    phoneNumberId: phone.id,
    wabaId: phone.wabaId,
    waId,
    type: message.type as string,
    payload: message,
    status: 'received',
    statuses: [{ status: 'received', at }],
    createdAt: at,
    ...(context ? { contextId: context.id } : {}),
  };
  ctx.state.messages.set(id, record);
  pushBounded(user.outbox, record, INBOX_LIMIT);
  user.lastInboundAt.set(phone.id, at);
  if (message.referral) user.referralAt.set(phone.id, at);

  emitInbound(ctx, phone, user, message);
  return record;
}

function emitInbound(ctx: EmulatorContext, phone: PhoneNumber, user: SimUser, message: Json): void {
  ctx.webhooks.emit({
    wabaId: phone.wabaId,
    field: 'messages',
    phoneNumberId: phone.id,
    value: {
      messaging_product: 'whatsapp',
      metadata: metadataOf(phone),
      contacts: [{ profile: { name: user.settings.profileName }, wa_id: user.waId }],
      messages: [message],
    },
  });
}

function contextOf(runtime: MessagingRuntime, phone: PhoneNumber, user: SimUser, type: string, input: Json): { from: string; id: string } | undefined {
  const given = isObject(input.context) ? input.context.message_id : undefined;
  let quoted: Message | undefined;
  if (given !== undefined) {
    if (typeof given !== 'string') throw invalidParameter('context.message_id must be a string.');
    quoted = runtime.ctx.state.messages.get(given);
    if (!quoted) return { from: phone.displayPhoneNumber.replace(/\D/g, ''), id: given };
  } else if (type === 'interactive' || type === 'button') {
    // Taps on buttons always quote the message they belong to.
    const wanted = type === 'button' ? 'template' : 'interactive';
    quoted = user.inbox.findLast((m) => m.phoneNumberId === phone.id && m.type === wanted);
  }
  if (!quoted) return undefined;
  return { from: quoted.direction === 'inbound' ? quoted.waId : phone.displayPhoneNumber.replace(/\D/g, ''), id: quoted.id };
}

/** The type's object of the inbound message; undefined for a type WhatsApp reports as unsupported. */
function contentOf(runtime: MessagingRuntime, phone: PhoneNumber, type: string, input: Json, at: number): Json | Json[] | undefined {
  const body = input[type];
  switch (type) {
    case 'text': {
      const text = objectParam(body, 'text');
      if (typeof text.body !== 'string' || text.body === '') throw invalidParameter('text.body must be a non-empty string.');
      return { body: text.body };
    }
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return mediaContent(runtime, phone, type, body === undefined ? {} : objectParam(body, type), at);
    case 'location': {
      const location = objectParam(body, 'location');
      if (typeof location.latitude !== 'number' || typeof location.longitude !== 'number') {
        throw invalidParameter('location.latitude and location.longitude must be numbers.');
      }
      return pick(location, ['latitude', 'longitude', 'name', 'address', 'url']);
    }
    case 'contacts':
      if (!Array.isArray(body) || body.length === 0 || !body.every(isObject)) throw invalidParameter('contacts must be a non-empty array of contact objects.');
      return body;
    case 'interactive': {
      const interactive = objectParam(body, 'interactive');
      const kind = interactive.type;
      if (kind !== 'button_reply' && kind !== 'list_reply' && kind !== 'nfm_reply') {
        throw invalidParameter('interactive.type must be button_reply, list_reply or nfm_reply.');
      }
      const reply = objectParam(interactive[kind], `interactive.${kind}`);
      return { type: kind, [kind]: reply };
    }
    case 'button': {
      const button = objectParam(body, 'button');
      if (typeof button.text !== 'string') throw invalidParameter('button.text must be a string.');
      return { text: button.text, payload: typeof button.payload === 'string' ? button.payload : button.text };
    }
    case 'reaction': {
      const reaction = objectParam(body, 'reaction');
      if (typeof reaction.message_id !== 'string') throw invalidParameter('reaction.message_id must be a string.');
      return typeof reaction.emoji === 'string' && reaction.emoji !== '' ? { message_id: reaction.message_id, emoji: reaction.emoji } : { message_id: reaction.message_id };
    }
    default:
      return undefined;
  }
}

function mediaContent(runtime: MessagingRuntime, phone: PhoneNumber, type: string, spec: Json, at: number): Json {
  const { ctx } = runtime;
  let media = typeof spec.id === 'string' ? liveMedia(ctx, spec.id) : undefined;
  if (typeof spec.id === 'string' && !media) throw invalidParameter(`Media ${spec.id} does not exist.`);
  const voice = type === 'audio' && spec.voice === true;
  if (!media) {
    if (spec.data !== undefined && typeof spec.data !== 'string') throw invalidParameter(`${type}.data must be base64.`);
    const data = typeof spec.data === 'string' ? Buffer.from(spec.data, 'base64') : Buffer.from(`simulated ${type} from a WhatsApp user`);
    const mimeType = typeof spec.mime_type === 'string' ? spec.mime_type : voice ? 'audio/ogg; codecs=opus' : MEDIA_DEFAULT_MIME[type]!;
    const filename = typeof spec.filename === 'string' ? spec.filename : type === 'document' ? 'document.pdf' : undefined;
    media = storeMedia(ctx, { phoneNumberId: phone.id, data, mimeType, origin: 'inbound', ...(filename ? { filename } : {}) });
  }
  const content: Json = {
    mime_type: media.mimeType,
    sha256: Buffer.from(media.sha256, 'hex').toString('base64'),
    id: media.id,
    url: runtime.mediaUrls.urlFor(ctx.baseUrl(), media, at),
  };
  if ((type === 'image' || type === 'video' || type === 'document') && typeof spec.caption === 'string') content.caption = spec.caption;
  if (type === 'document') content.filename = media.filename ?? 'document';
  if (type === 'audio') content.voice = voice;
  if (type === 'sticker') content.animated = spec.animated === true;
  return content;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectParam(value: unknown, name: string): Json {
  if (!isObject(value)) throw invalidParameter(`${name} must be an object.`);
  return value;
}

function pick(source: Json, keys: string[]): Json {
  const out: Json = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
