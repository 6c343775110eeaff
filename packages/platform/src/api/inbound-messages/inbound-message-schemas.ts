/** Schemas of the inbound message history endpoint. */
import { Type } from '@sinclair/typebox';
import { Nullable, Page, PageQuery, TenantIdParam, Timestamp } from '../schemas.js';

export const InboundMessage = Type.Object({
  wamid: Type.String({ description: "Meta's id of the user's message (reply to it with context.message_id)." }),
  tenant_id: Type.String({ format: 'uuid' }),
  phone_number_id: Type.String(),
  from: Type.String({ description: 'wa_id of the sender.' }),
  type: Type.String(),
  message: Type.Unknown({
    description:
      'The message object as Meta delivered it in the webhook; past the operator’s content retention, only from, id, timestamp, type and context.',
  }),
  content_redacted_at: Nullable(Timestamp, { description: 'When the content was removed past the operator’s content retention; null: it was not.' }),
  sent_at: Timestamp,
  received_at: Timestamp,
});

export const InboundMessageList = Page(InboundMessage);

export const InboundMessageListQuery = Type.Object({
  ...PageQuery,
  tenant_id: Type.Optional(TenantIdParam),
  phone_number_id: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(Type.String({ maxLength: 40, description: 'A phone number; "+", spaces and dashes are ignored.' })),
});
