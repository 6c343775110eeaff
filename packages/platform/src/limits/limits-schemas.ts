/** Schemas of the messaging-limit endpoint and of the per-number limit block. */
import { Type } from '@sinclair/typebox';
import { Nullable, TenantIdParam, Timestamp } from '../api/schemas.js';

export const PortfolioUsage = Type.Object({
  portfolio_id: Type.String({ description: 'The owning business portfolio’s id ("waba:<id>" when the owner could not be read).' }),
  business_id: Nullable(Type.String()),
  messaging_limit_tier: Nullable(Type.String({ description: 'TIER_250, TIER_2K, TIER_10K, TIER_100K, TIER_UNLIMITED; null: not known yet.' })),
  limit: Nullable(Type.Integer({ description: 'Unique users per moving 24 h; null: unlimited or unknown (nothing enforced).' })),
  unique_users_24h: Type.Integer({ description: 'Users reached outside a service window in the last 24 h (counted by the platform as it accepts).' }),
  remaining: Nullable(Type.Integer()),
  next_capacity_at: Nullable(Timestamp),
  held_messages: Type.Integer({ description: 'Messages waiting for a slot (tenants whose over-limit policy is hold).' }),
  waba_ids: Type.Array(Type.String()),
  phone_number_ids: Type.Array(Type.String()),
});

export const LimitsResponse = Type.Object({ data: Type.Array(PortfolioUsage) });
export const LimitsQuery = Type.Object({ tenant_id: Type.Optional(TenantIdParam) });

/** The portfolio limit as each number shows it (the number shares it with the portfolio's other numbers). */
export const NumberMessagingLimit = Type.Object(
  {
    portfolio_id: Type.String(),
    tier: Nullable(Type.String()),
    limit: Nullable(Type.Integer({ description: 'null: unlimited or unknown.' })),
    unique_users_24h: Type.Integer(),
    remaining: Nullable(Type.Integer()),
    next_capacity_at: Nullable(Timestamp),
  },
  { description: 'The business portfolio’s messaging limit, shared by all its numbers (GET /api/v1/limits has the details).' },
);
