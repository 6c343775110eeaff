/** Schemas of the customer-service window endpoint. */
import { Type } from '@sinclair/typebox';
import { Nullable, Page, PageQuery, TenantIdParam, Timestamp } from '../schemas.js';

export const Conversation = Type.Object({
  phone_number_id: Type.String(),
  wa_id: Type.String({ description: 'The user.' }),
  tenant_id: Type.String({ format: 'uuid' }),
  last_inbound_at: Timestamp,
  window_expires_at: Timestamp,
  open: Type.Boolean({ description: 'Whether free-form messages may be sent now (the 24-hour customer-service window).' }),
  fep_expires_at: Nullable(Timestamp),
});

export const ConversationList = Page(Conversation);

export const ConversationListQuery = Type.Object({
  ...PageQuery,
  tenant_id: Type.Optional(TenantIdParam),
  phone_number_id: Type.Optional(Type.String({ maxLength: 64 })),
  wa_id: Type.Optional(Type.String({ maxLength: 40 })),
  open: Type.Optional(Type.Boolean({ description: 'Only windows that are open (true) or closed (false) now.' })),
});
