/** Schemas of the alert endpoints (and of the `switchboard_alert` webhook value). */
import { Type } from '@sinclair/typebox';
import { Nullable, Page, PageQuery, TenantIdParam, Timestamp } from '../api/schemas.js';
import { ALERT_KINDS, ALERT_SEVERITIES } from './alert-kinds.js';

export const Alert = Type.Object({
  id: Type.String({ format: 'uuid' }),
  tenant_id: Type.String({ format: 'uuid' }),
  waba_id: Type.String(),
  phone_number_id: Nullable(Type.String()),
  kind: Type.String({ description: ALERT_KINDS.join(', ') }),
  severity: Type.String({ description: ALERT_SEVERITIES.join(', ') }),
  title: Type.String(),
  description: Type.String(),
  entity: Type.Object({ type: Type.String({ description: 'PHONE_NUMBER, WABA, BUSINESS or TEMPLATE.' }), id: Type.String() }),
  source: Type.String({ description: 'webhook (Meta told us) or read (seen when reading from Meta).' }),
  details: Type.Record(Type.String(), Type.Unknown(), { description: 'What Meta sent or what changed.' }),
  created_at: Timestamp,
  acknowledged_at: Nullable(Timestamp, { description: 'When it was first acknowledged (POST /api/v1/alerts/{id}/acknowledge); null: not yet.' }),
  acknowledged_by: Nullable(Type.String({ description: '"operator", or "key:" and the id of the API key that acknowledged it (GET /api/v1/keys).' })),
});

export const AlertList = Page(Alert);

export const AlertListQuery = Type.Object({
  ...PageQuery,
  tenant_id: Type.Optional(TenantIdParam),
  kind: Type.Optional(Type.Union(ALERT_KINDS.map((k) => Type.Literal(k)))),
  severity: Type.Optional(Type.Union(ALERT_SEVERITIES.map((s) => Type.Literal(s)))),
  waba_id: Type.Optional(Type.String({ maxLength: 32 })),
  phone_number_id: Type.Optional(Type.String({ maxLength: 32 })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Only alerts raised at or after this time.' })),
  acknowledged: Type.Optional(Type.Boolean({ description: 'false: only alerts nobody has acknowledged yet; true: only acknowledged ones.' })),
});

export const AlertParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const AlertQuery = Type.Object({ tenant_id: Type.Optional(TenantIdParam) });
