/** Request and response schemas of the policy module's /api/v1 routes (settings and dry run). */
import { Type, type Static } from '@sinclair/typebox';
import { ErrorResponse, Nullable, TenantIdParam, Timestamp } from '../api/schemas.js';

export const TAGS = ['policy'];

export const PolicyQuery = Type.Object({ tenant_id: Type.Optional(TenantIdParam) });
export type PolicyQuery = Static<typeof PolicyQuery>;

const WindowEnforcement = Type.Union([Type.Literal('platform'), Type.Literal('meta')], {
  description:
    "'platform' (default): a free-form message outside the 24 h customer-service window is refused at once with 131047 and " +
    "nothing is queued. 'meta': it is queued and sent, and Meta fails it later (a failed status with 131047).",
});
const OverLimit = Type.Union([Type.Literal('refuse'), Type.Literal('hold')], {
  description:
    "Past the portfolio's messaging limit: 'refuse' (default) answers 131048 at once; 'hold' accepts the message and sends it " +
    "when a slot frees, or drops it with a failed status (131048) if its time to live (Meta's: 30 days, 10 minutes for an " +
    "authentication template, or the template's message_send_ttl_seconds) passes first.",
});
const RequireOptIn = Type.Boolean({
  description: 'true: marketing templates go only to contacts whose WhatsApp subscription is TRUE. false (default): to all but FALSE.',
});

export const PolicySettings = Type.Object({
  tenant_id: Type.String({ format: 'uuid' }),
  window_enforcement: WindowEnforcement,
  require_opt_in_for_marketing: RequireOptIn,
  over_limit: OverLimit,
  updated_at: Nullable(Timestamp),
});

export const PolicyUpdate = Type.Object(
  {
    window_enforcement: Type.Optional(WindowEnforcement),
    require_opt_in_for_marketing: Type.Optional(RequireOptIn),
    over_limit: Type.Optional(OverLimit),
  },
  { additionalProperties: false, description: 'The settings to change; the others keep their values.' },
);
export type PolicyUpdate = Static<typeof PolicyUpdate>;

export const CheckBody = Type.Object({
  phone_number_id: Type.String({ minLength: 1, maxLength: 64, description: 'The number that would send.' }),
  message: Type.Unknown({
    description: 'The body of POST /{version}/{phone-number-id}/messages, exactly as it would be sent (messaging_product, to, type, …).',
  }),
});
export type CheckBody = Static<typeof CheckBody>;

const WindowState = Type.Object({ open: Type.Boolean(), expires_at: Nullable(Timestamp) });

export const CheckAnswer = Type.Object(
  {
    accepted: Type.Boolean({ description: 'Whether POST …/messages would accept (queue) this message now.' }),
    rule: Nullable(
      Type.Union(
        ['validation', 'template', 'window', 'opt_in', 'messaging_limit'].map((r) => Type.Literal(r)),
        { description: 'The rule that refuses it: validation of the body, the template, the 24 h window, opt-in, the messaging limit.' },
      ),
    ),
    error: Type.Optional(ErrorResponse),
    held: Type.Boolean({ description: 'Accepted, but held back by the messaging limit until a slot frees (over_limit: hold).' }),
    recipient: Nullable(Type.String({ description: 'The WhatsApp id the message would go to.' })),
    category: Nullable(
      Type.Union(['marketing', 'utility', 'authentication', 'service'].map((c) => Type.Literal(c)), {
        description: "The message's pricing category: the template's category, or service for free-form messages.",
      }),
    ),
    pricing_type: Nullable(
      Type.Union(['regular', 'free_customer_service', 'free_entry_point'].map((c) => Type.Literal(c)), {
        description: "Meta's pricing.type: regular (billable), free_customer_service, free_entry_point.",
      }),
    ),
    billable: Nullable(Type.Boolean()),
    window: Type.Object(
      { open: Type.Boolean(), expires_at: Nullable(Timestamp) },
      { description: "The user's 24 h customer-service window with the number, now." },
    ),
    free_entry_point: WindowState,
    outside_window: Type.Boolean({ description: 'The service window is closed: a template now is business-initiated (counts toward the messaging limit).' }),
    opens_window: Type.Boolean({ description: 'Sending it now opens a 72 h free-entry-point window (first reply within 24 h of a click-to-WhatsApp referral).' }),
    expected_failure: Nullable(
      Type.Object(
        { code: Type.Integer(), title: Type.String(), details: Type.String() },
        { description: "Accepted, but Meta will fail it later: a free-form message outside the window when the tenant lets Meta decide (131047)." },
      ),
    ),
    template: Nullable(
      Type.Object({ id: Type.String(), name: Type.String(), language: Type.String(), status: Type.String() }, { description: 'The stored template it was checked against.' }),
    ),
  },
  { description: 'What POST …/messages would do with this message now. Nothing is stored, queued, sent or charged.' },
);
export type CheckAnswer = Static<typeof CheckAnswer>;
