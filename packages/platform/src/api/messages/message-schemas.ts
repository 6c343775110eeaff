/** Schemas of the outbound message history endpoints. */
import { Type } from '@sinclair/typebox';
import { Nullable, Page, PageQuery, TenantIdParam, Timestamp } from '../schemas.js';

/** An error as the history shows it: Meta's code and what it said, whichever shape it came in. */
export const MessageError = Type.Object({
  code: Type.Integer(),
  title: Nullable(Type.String()),
  message: Nullable(Type.String()),
  details: Nullable(Type.String()),
});

export const MessageSummary = Type.Object({
  wamid: Type.String({ description: "The platform's message id (the id the send answered with)." }),
  tenant_id: Type.String({ format: 'uuid' }),
  phone_number_id: Type.String(),
  recipient: Type.String({ description: 'wa_id of the recipient.' }),
  type: Type.String(),
  status: Type.String({
    description:
      'accepted, dispatched, sent, delivered, read or failed. A message still queued when its time to live passes fails without reaching Meta: 131026, or 131048 if the messaging limit held it.',
  }),
  attempt_count: Type.Integer({ description: 'Times the message was handed to Meta.' }),
  error: Nullable(MessageError),
  idempotency_key: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const MessageAttempt = Type.Object({
  attempt: Type.Integer(),
  started_at: Timestamp,
  finished_at: Timestamp,
  outcome: Type.String({ description: 'sent, retry, failed or unknown (the request left but no answer came).' }),
  http_status: Nullable(Type.Integer()),
  error: Nullable(MessageError),
});

export const MessageStatus = Type.Object({
  status: Type.String(),
  at: Timestamp,
  pricing: Nullable(Type.Unknown({ description: "Meta's pricing object of the status webhook." })),
  errors: Type.Array(MessageError),
});

export const MessageDetail = Type.Composite([
  MessageSummary,
  Type.Object({
    body: Type.Unknown({
      description:
        'The send request as the tenant made it; past the operator’s content retention, only its addressing, type, context, biz_opaque_callback_data and template name and language.',
    }),
    content_redacted_at: Nullable(Timestamp, { description: 'When the content was removed past the operator’s content retention; null: it was not.' }),
    attempts: Type.Array(MessageAttempt),
    statuses: Type.Array(MessageStatus),
  }),
]);

export const MessageList = Page(MessageSummary);

export const MessageListQuery = Type.Object({
  ...PageQuery,
  tenant_id: Type.Optional(TenantIdParam),
  phone_number_id: Type.Optional(Type.String({ maxLength: 64 })),
  recipient: Type.Optional(Type.String({ maxLength: 40, description: 'A phone number; "+", spaces and dashes are ignored.' })),
  status: Type.Optional(Type.String({ maxLength: 32 })),
});

export const MessageParams = Type.Object({ wamid: Type.String({ maxLength: 100 }) });
export const MessageQuery = Type.Object({ tenant_id: Type.Optional(TenantIdParam) });
