/** Request and response schemas of the templates module's /api/v1 routes. */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Page, PageQuery, TenantIdParam, Timestamp } from '../api/schemas.js';

export const TAGS = ['templates'];

export const Template = Type.Object(
  {
    id: Type.String({ description: "Meta's template id." }),
    tenant_id: Type.String({ format: 'uuid' }),
    waba_id: Type.String(),
    name: Type.String(),
    language: Type.String(),
    status: Type.String({ description: 'APPROVED, PENDING, REJECTED, PAUSED, DISABLED, IN_APPEAL, PENDING_DELETION, ARCHIVED, LIMIT_EXCEEDED. Only APPROVED can be sent.' }),
    category: Type.String({ description: 'MARKETING, UTILITY or AUTHENTICATION.' }),
    previous_category: Nullable(Type.String({ description: 'The category before Meta changed it.' })),
    correct_category: Nullable(Type.String({ description: 'A category change Meta announced and has not made yet.' })),
    category_change_at: Nullable(Timestamp),
    rejected_reason: Nullable(Type.String()),
    rejection_info: Nullable(Type.Object({ reason: Type.Optional(Type.String()), recommendation: Type.Optional(Type.String()) })),
    quality_score: Nullable(Type.String({ description: 'GREEN, YELLOW, RED or UNKNOWN.' })),
    pause_reason: Nullable(Type.String({ description: 'FIRST_PAUSE, SECOND_PAUSE, RATE_LIMITING_PAUSE … while PAUSED.' })),
    paused_until: Nullable(Timestamp),
    parameter_format: Type.String(),
    components: Type.Array(Type.Unknown(), { description: 'As Meta describes them (HEADER, BODY, FOOTER, BUTTONS).' }),
    message_send_ttl_seconds: Nullable(Type.Integer()),
    stale: Type.Boolean({ description: 'Changed at Meta in a way its webhooks do not describe; re-read before the next send.' }),
    read_at: Nullable(Timestamp),
    synced_at: Nullable(Timestamp),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { description: "The platform's copy of a template, which every template send is checked against." },
);

export const TemplateList = Page(Template);

export const TemplateListQuery = Type.Object({
  ...PageQuery,
  tenant_id: Type.Optional(TenantIdParam),
  waba_id: Type.Optional(Type.String({ maxLength: 64 })),
  name: Type.Optional(Type.String({ maxLength: 512 })),
  language: Type.Optional(Type.String({ maxLength: 20 })),
  status: Type.Optional(Type.String({ maxLength: 40 })),
  category: Type.Optional(Type.String({ maxLength: 40 })),
});
export type TemplateListQuery = Static<typeof TemplateListQuery>;

export const TemplateParams = Type.Object({ id: Type.String({ maxLength: 64, description: "Meta's template id." }) });
export const TemplateQuery = Type.Object({ tenant_id: Type.Optional(TenantIdParam) });

export const SyncQuery = Type.Object({
  tenant_id: Type.Optional(TenantIdParam),
  waba_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only this WABA (default: all of the tenant’s).' })),
});
export type SyncQuery = Static<typeof SyncQuery>;

export const SyncAnswer = Type.Object({
  data: Type.Array(
    Type.Object({
      waba_id: Type.String(),
      templates: Type.Integer({ description: 'Templates Meta listed.' }),
      added: Type.Integer(),
      updated: Type.Integer(),
      removed: Type.Integer(),
      unchanged: Type.Integer(),
      error: Nullable(Type.String({ description: 'Why this WABA could not be read (the others still were).' })),
    }),
  ),
});
