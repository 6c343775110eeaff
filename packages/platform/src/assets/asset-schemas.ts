/** Request and response schemas of the WABA and phone-number endpoints. */
import { Type } from '@sinclair/typebox';
import { Nullable, Page, PageQuery, TenantIdParam, Timestamp } from '../api/schemas.js';
import { NumberMessagingLimit } from '../limits/limits-schemas.js';

export const AttachWabaBody = Type.Object({
  tenant_id: Type.String({ maxLength: 64, description: 'The tenant that will own the WABA.' }),
  waba_id: Type.String({ maxLength: 32, description: "Meta's WhatsApp Business Account id." }),
  access_token: Type.String({
    minLength: 1,
    maxLength: 2048,
    description: 'A Meta token (system user or business integration) that reaches the WABA. Stored encrypted.',
  }),
});

export const NumberSummary = Type.Object({
  id: Type.String({ description: "Meta's phone number id." }),
  display_phone_number: Type.String(),
  status: Nullable(Type.String({ description: 'CONNECTED is needed to send.' })),
  quality_rating: Nullable(Type.String({ description: 'GREEN, YELLOW, RED or UNKNOWN.' })),
});

export const WabaResponse = Type.Object({
  waba_id: Type.String(),
  tenant_id: Type.String({ format: 'uuid' }),
  name: Nullable(Type.String()),
  phone_numbers: Type.Array(NumberSummary),
  created_at: Timestamp,
  synced_at: Nullable(Timestamp),
});

export const PhoneNumberResponse = Type.Object({
  id: Type.String({ description: "Meta's phone number id (the {phone-number-id} of the messaging endpoints)." }),
  waba_id: Type.String(),
  tenant_id: Type.String({ format: 'uuid' }),
  display_phone_number: Type.String(),
  verified_name: Nullable(Type.String()),
  status: Nullable(Type.String()),
  quality_rating: Nullable(Type.String()),
  mps: Type.Integer({ description: 'Messages per second Meta allows this number (80; 1,000 with HIGH throughput).' }),
  throughput_level: Nullable(Type.String()),
  messaging_limit_tier: Nullable(Type.String({ description: 'Business-initiated conversations per 24 h (TIER_250 … TIER_UNLIMITED).' })),
  created_at: Timestamp,
  synced_at: Nullable(Timestamp),
  quality_event: Nullable(Type.String({ description: 'The last phone_number_quality_update event (FLAGGED, UNFLAGGED, THROUGHPUT_UPGRADE …).' })),
  health_updated_at: Nullable(Timestamp),
  messaging_limit: NumberMessagingLimit,
});

export const WabaList = Page(WabaResponse);
export const PhoneNumberList = Page(PhoneNumberResponse);

export const WabaListQuery = Type.Object({ ...PageQuery, tenant_id: Type.Optional(TenantIdParam) });
export const PhoneNumberListQuery = Type.Object({
  ...PageQuery,
  tenant_id: Type.Optional(TenantIdParam),
  waba_id: Type.Optional(Type.String({ maxLength: 32 })),
});

export const AssetParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const AssetQuery = Type.Object({ tenant_id: Type.Optional(TenantIdParam) });
