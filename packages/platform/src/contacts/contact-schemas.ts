/** Request and response schemas of the contact, import and keyword endpoints. */
import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery, Paging, TenantIdParam, Timestamp } from '../api/schemas.js';

export const TAGS = ['contacts'];

const SubscriptionValue = Nullable(
  Type.Union([Type.Literal('TRUE'), Type.Literal('FALSE')], {
    description: 'TRUE: the user agreed to WhatsApp messages; FALSE: the user said no; null: nothing known yet.',
  }),
);

/**
 * What callers may send: the strings above (any case), booleans, or null to unset. Checked in code
 * (readSubscription), not by the schema: the validator's type coercion would turn null into "" (no
 * change) or false into null (unset) when trying the branches of a union.
 */
const SubscriptionInput = Type.Unknown({
  description: 'TRUE, FALSE (also true/false, yes/no, 1/0), or null / "UNSET" to clear. Absent: left as it is.',
});

export const Contact = Type.Object({
  wa_id: Type.String({ description: 'The WhatsApp id (international number, digits only).' }),
  tenant_id: Type.String({ format: 'uuid' }),
  subscription: SubscriptionValue,
  name: Nullable(Type.String()),
  subscription_changed_at: Nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const ContactEvent = Type.Object({
  id: Type.String(),
  from: SubscriptionValue,
  to: SubscriptionValue,
  source: Type.String({ description: 'api, import, keyword, meta (user_preferences webhook) or dashboard.' }),
  actor: Type.String({ description: 'Who made the change: key:<api key id>, operator, cli, user:<wa_id>, meta.' }),
  proof: Nullable(Type.String({ description: 'What justifies it: the keyword message, Meta’s detail, the caller’s note.' })),
  at: Timestamp,
});

export const ContactDetail = Type.Composite([
  Contact,
  Type.Object({ events: Type.Array(ContactEvent, { description: 'Every change of the subscription, newest first (up to 500).' }) }),
]);

export const ContactList = Type.Object({ data: Type.Array(Contact), paging: Paging });

export const ContactListQuery = Type.Object({
  ...PageQuery,
  tenant_id: Type.Optional(TenantIdParam),
  subscription: Type.Optional(
    Type.Union([Type.Literal('TRUE'), Type.Literal('FALSE'), Type.Literal('UNSET')], { description: 'Only contacts with this status.' }),
  ),
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Digits: the start of the number; other text: part of the name.' })),
});

export const ContactParams = Type.Object({ wa_id: Type.String({ maxLength: 40, description: 'The number, with or without "+".' }) });
export const TenantQuery = Type.Object({ tenant_id: Type.Optional(TenantIdParam) });

const ChangeSource = Type.Optional(
  Type.Union([Type.Literal('api'), Type.Literal('dashboard')], { description: 'Recorded as the change’s source (default api).' }),
);

export const PutContactBody = Type.Object({
  subscription: Type.Optional(SubscriptionInput),
  name: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
  proof: Type.Optional(Type.String({ maxLength: 1000, description: 'Why: the consent text, a ticket, a form id. Kept in the audit trail.' })),
  source: ChangeSource,
});

export const MAX_BATCH = 1_000;

export const BatchBody = Type.Object({
  contacts: Type.Array(
    Type.Object({
      wa_id: Type.Union([Type.String({ maxLength: 40 }), Type.Number()]),
      subscription: Type.Optional(SubscriptionInput),
      name: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
      proof: Type.Optional(Type.String({ maxLength: 1000 })),
    }),
    { minItems: 1, maxItems: MAX_BATCH },
  ),
  proof: Type.Optional(Type.String({ maxLength: 1000, description: 'Proof for the contacts that give none.' })),
  source: ChangeSource,
});

const RowError = Type.Object({ row: Type.Integer({ description: '1-based; the header of a CSV is not counted.' }), error: Type.String() });

export const ImportReport = Type.Object({
  rows: Type.Integer({ description: 'Rows read (header excluded).' }),
  imported: Type.Integer({ description: 'New contacts.' }),
  updated: Type.Integer({ description: 'Existing contacts that changed.' }),
  unchanged: Type.Integer({ description: 'Existing contacts the row did not change (a re-import changes nothing).' }),
  error_count: Type.Integer(),
  errors: Type.Array(RowError, { description: 'Rows not applied, with why (the first 10,000).' }),
});

export const BatchReport = Type.Composite([
  ImportReport,
  Type.Object({
    results: Type.Array(
      Type.Object({
        row: Type.Integer(),
        wa_id: Type.String(),
        outcome: Type.Union([Type.Literal('imported'), Type.Literal('updated'), Type.Literal('unchanged')]),
      }),
    ),
  }),
]);

export const ImportQuery = Type.Object({
  tenant_id: Type.Optional(TenantIdParam),
  calling_code: Type.Optional(Type.String({ maxLength: 4, description: 'Country calling code for numbers written without one (e.g. 81).' })),
  proof: Type.Optional(Type.String({ maxLength: 1000, description: 'Proof for rows without a proof column (e.g. "signup form export 2025-09").' })),
});

/**
 * One schema per content type: a single union would let the validator's coercion turn a JSON
 * array of one element into that element before trying the next branch.
 */
export const ImportJsonBody = Type.Union([
  Type.Array(Type.Unknown(), { description: 'An array of {wa_id|phone, subscription, name, proof}.' }),
  Type.Object({ contacts: Type.Array(Type.Unknown()) }),
]);
export const ImportCsvBody = Type.String({ description: 'CSV with a header line.' });
export const ImportBody = {
  content: {
    'application/json': { schema: ImportJsonBody },
    'text/csv': { schema: ImportCsvBody },
  },
};

export const KeywordLanguage = Type.Object({
  language: Type.String({ minLength: 1, maxLength: 20, description: 'A language code (en, ja, zh, es, pt …).' }),
  opt_out: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50, description: 'A message that is one of these sets the contact FALSE.' }),
  opt_in: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50, description: 'A message that is one of these sets the contact TRUE.' }),
  opt_out_reply: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 4096, description: 'Sent back after an opt-out keyword; null: nothing.' }))),
  opt_in_reply: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 4096 }))),
});

export const Keywords = Type.Object({
  custom: Type.Boolean({ description: 'False: the built-in defaults are in use.' }),
  languages: Type.Array(KeywordLanguage),
});

export const PutKeywordsBody = Type.Object({ languages: Type.Array(KeywordLanguage, { maxItems: 30 }) });
