/**
 * The body of `POST /{phone-number-id}/messages` as TypeBox schemas, one per message type object,
 * with the field limits of the reference (cloud-api.md §1.1.1) and Meta's OpenAPI description.
 * The TypeScript types are derived from them. `validateSendRequest` walks them with
 * `checkSchema` and adds the rules a schema cannot say (exactly one of id/link, unique button
 * titles, at most ten rows across sections…).
 */
import { Type, type Static } from '@sinclair/typebox';

/** Message types the send endpoint accepts (`type`). */
export const MESSAGE_TYPES = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'reaction',
  'template',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Media message types, whose objects carry `id` or `link`. */
export const MEDIA_MESSAGE_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;
export type MediaMessageType = (typeof MEDIA_MESSAGE_TYPES)[number];

export const SEND_LIMITS = {
  textBody: 4096,
  caption: 1024,
  filename: 240,
  link: 2048,
  contacts: 257,
  bizOpaqueCallbackData: 512,
  interactiveBody: 1024,
  interactiveHeaderText: 60,
  interactiveFooter: 60,
  replyButtons: 3,
  replyButtonId: 256,
  replyButtonTitle: 20,
  listButton: 20,
  listSections: 10,
  listRowsTotal: 10,
  listSectionTitle: 24,
  listRowId: 200,
  listRowTitle: 24,
  listRowDescription: 72,
  ctaDisplayText: 20,
  flowCta: 30,
  templateName: 512,
} as const;

const text = (maxLength: number, minLength = 1) => Type.String({ minLength, maxLength });
const optionalText = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const oneOf = <T extends string>(...values: T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const TextObject = Type.Object({
  body: text(SEND_LIMITS.textBody),
  preview_url: Type.Optional(Type.Boolean()),
});

const mediaRef = {
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  link: Type.Optional(Type.String({ minLength: 1, maxLength: SEND_LIMITS.link })),
};
export const ImageObject = Type.Object({ ...mediaRef, caption: optionalText(SEND_LIMITS.caption) });
export const VideoObject = Type.Object({ ...mediaRef, caption: optionalText(SEND_LIMITS.caption) });
export const AudioObject = Type.Object({ ...mediaRef, voice: Type.Optional(Type.Boolean()) });
export const StickerObject = Type.Object(mediaRef);
export const DocumentObject = Type.Object({
  ...mediaRef,
  caption: optionalText(SEND_LIMITS.caption),
  filename: optionalText(SEND_LIMITS.filename),
});
export type MediaObject = Static<typeof DocumentObject> & Static<typeof AudioObject>;

const coordinate = (limit: number) =>
  Type.Union([Type.Number(), Type.String()], { numeric: true, minimum: -limit, maximum: limit });
export const LocationObject = Type.Object({
  latitude: coordinate(90),
  longitude: coordinate(180),
  name: optionalText(1024),
  address: optionalText(1024),
});

const kind = Type.Optional(Type.String({ maxLength: 32 }));
export const ContactObject = Type.Object({
  name: Type.Object({
    formatted_name: text(1024),
    first_name: optionalText(256),
    last_name: optionalText(256),
    middle_name: optionalText(256),
    suffix: optionalText(256),
    prefix: optionalText(256),
  }),
  phones: Type.Optional(Type.Array(Type.Object({ phone: optionalText(64), type: kind, wa_id: optionalText(32) }))),
  emails: Type.Optional(Type.Array(Type.Object({ email: optionalText(320), type: kind }))),
  addresses: Type.Optional(
    Type.Array(
      Type.Object({
        street: optionalText(1024),
        city: optionalText(256),
        state: optionalText(256),
        zip: optionalText(64),
        country: optionalText(256),
        country_code: optionalText(8),
        type: kind,
      }),
    ),
  ),
  org: Type.Optional(Type.Object({ company: optionalText(256), department: optionalText(256), title: optionalText(256) })),
  urls: Type.Optional(Type.Array(Type.Object({ url: optionalText(2048), type: kind }))),
  birthday: Type.Optional(
    Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', patternMessage: 'Param birthday must be a date in YYYY-MM-DD format.' }),
  ),
});
export const ContactsArray = Type.Array(ContactObject, { minItems: 1, maxItems: SEND_LIMITS.contacts });

/** `emoji` may be empty: that removes the reaction. */
export const ReactionObject = Type.Object({
  message_id: text(256),
  emoji: Type.String({ maxLength: 32 }),
});

export const INTERACTIVE_TYPES = [
  'button',
  'list',
  'cta_url',
  'flow',
  'location_request_message',
  'call_permission_request',
  'product',
  'product_list',
  'catalog_message',
] as const;
export type InteractiveType = (typeof INTERACTIVE_TYPES)[number];

export const InteractiveHeader = Type.Object({
  type: oneOf('text', 'image', 'video', 'document'),
  text: optionalText(SEND_LIMITS.interactiveHeaderText),
  sub_text: optionalText(SEND_LIMITS.interactiveHeaderText),
  image: Type.Optional(Type.Object(mediaRef)),
  video: Type.Optional(Type.Object(mediaRef)),
  document: Type.Optional(Type.Object({ ...mediaRef, filename: optionalText(SEND_LIMITS.filename) })),
});

export const InteractiveObject = Type.Object({
  type: oneOf(...INTERACTIVE_TYPES),
  header: Type.Optional(InteractiveHeader),
  body: Type.Optional(Type.Object({ text: text(SEND_LIMITS.interactiveBody) })),
  footer: Type.Optional(Type.Object({ text: text(SEND_LIMITS.interactiveFooter) })),
  action: Type.Unknown(),
});

export const ReplyButtonsAction = Type.Object({
  buttons: Type.Array(
    Type.Object({
      type: Type.Literal('reply'),
      reply: Type.Object({ id: text(SEND_LIMITS.replyButtonId), title: text(SEND_LIMITS.replyButtonTitle) }),
    }),
    { minItems: 1, maxItems: SEND_LIMITS.replyButtons },
  ),
});

export const ListAction = Type.Object({
  button: text(SEND_LIMITS.listButton),
  sections: Type.Array(
    Type.Object({
      title: optionalText(SEND_LIMITS.listSectionTitle),
      rows: Type.Array(
        Type.Object({
          id: text(SEND_LIMITS.listRowId),
          title: text(SEND_LIMITS.listRowTitle),
          description: optionalText(SEND_LIMITS.listRowDescription),
        }),
        { minItems: 1, maxItems: SEND_LIMITS.listRowsTotal },
      ),
    }),
    { minItems: 1, maxItems: SEND_LIMITS.listSections },
  ),
});

export const CtaUrlAction = Type.Object({
  name: Type.Literal('cta_url'),
  parameters: Type.Object({ display_text: text(SEND_LIMITS.ctaDisplayText), url: text(SEND_LIMITS.link) }),
});

export const FlowAction = Type.Object({
  name: Type.Literal('flow'),
  parameters: Type.Object({
    flow_message_version: Type.Union([Type.Literal('3'), Type.Literal(3)]),
    flow_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    flow_name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    flow_cta: text(SEND_LIMITS.flowCta),
    mode: Type.Optional(oneOf('draft', 'published')),
    flow_token: optionalText(1024),
    flow_action: Type.Optional(oneOf('navigate', 'data_exchange')),
    flow_action_payload: Type.Optional(Type.Object({ screen: optionalText(256), data: Type.Optional(Type.Unknown()) })),
  }),
});

export const LocationRequestAction = Type.Object({ name: Type.Literal('send_location') });
export const CallPermissionAction = Type.Object({ name: Type.Literal('call_permission_request') });

export const TemplateObject = Type.Object({
  name: text(SEND_LIMITS.templateName),
  language: Type.Object({ code: text(15), policy: Type.Optional(Type.Literal('deterministic')) }),
  /** Checked against the stored template by the emulator's templates module / the platform. */
  components: Type.Optional(Type.Array(Type.Object({ type: text(32) }))),
});

export const ContextObject = Type.Object({ message_id: text(256) });

export const SendEnvelope = Type.Object({
  messaging_product: Type.Literal('whatsapp'),
  recipient_type: Type.Optional(oneOf('individual', 'group')),
  to: Type.String(),
  type: Type.Optional(Type.String()),
  context: Type.Optional(ContextObject),
  biz_opaque_callback_data: optionalText(SEND_LIMITS.bizOpaqueCallbackData),
  recipient_identity_key_hash: optionalText(256),
});

export const MarkReadRequest = Type.Object({
  messaging_product: Type.Literal('whatsapp'),
  status: Type.Literal('read'),
  message_id: text(256),
  typing_indicator: Type.Optional(Type.Object({ type: Type.Literal('text') })),
});

/** Schema of each type's object, keyed by `type`. */
export const TYPE_OBJECTS = {
  text: TextObject,
  image: ImageObject,
  audio: AudioObject,
  video: VideoObject,
  document: DocumentObject,
  sticker: StickerObject,
  location: LocationObject,
  contacts: ContactsArray,
  interactive: InteractiveObject,
  reaction: ReactionObject,
  template: TemplateObject,
} as const;

export type TextContent = Static<typeof TextObject>;
export type LocationContent = Static<typeof LocationObject>;
export type ContactContent = Static<typeof ContactObject>;
export type ReactionContent = Static<typeof ReactionObject>;
export type InteractiveContent = Static<typeof InteractiveObject>;
export type TemplateContent = Static<typeof TemplateObject>;
export type SendEnvelopeFields = Static<typeof SendEnvelope>;
export type MarkReadFields = Static<typeof MarkReadRequest>;

/** A send request that passed validation, with its type object under its type's name. */
export type SendMessageRequest = SendEnvelopeFields & { type: MessageType } & {
  [K in MessageType]?: Static<(typeof TYPE_OBJECTS)[K]>;
};
