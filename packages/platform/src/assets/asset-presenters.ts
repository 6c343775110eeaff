/** What the API shows of a WABA and of a phone number. The WABA's Meta token is never shown. */
import type { Static } from '@sinclair/typebox';
import type { PhoneNumberResponse, WabaResponse } from './asset-schemas.js';
import type { PhoneNumberRow, WabaView } from './asset-store.js';
import { unknownLimit, type NumberLimits } from '../limits/number-limits.js';

export function presentWaba(waba: WabaView): Static<typeof WabaResponse> {
  return {
    waba_id: waba.id,
    tenant_id: waba.tenant_id,
    name: waba.name,
    phone_numbers: waba.numbers.map((n) => ({
      id: n.id,
      display_phone_number: n.display_phone_number,
      status: n.status,
      quality_rating: n.quality_rating,
    })),
    created_at: waba.created_at.toISOString(),
    synced_at: waba.synced_at?.toISOString() ?? null,
  };
}

export function presentPhoneNumber(row: PhoneNumberRow, limits: NumberLimits): Static<typeof PhoneNumberResponse> {
  return {
    id: row.id,
    waba_id: row.waba_id,
    tenant_id: row.tenant_id,
    display_phone_number: row.display_phone_number,
    verified_name: row.verified_name,
    status: row.status,
    quality_rating: row.quality_rating,
    mps: row.mps,
    throughput_level: row.throughput_level,
    messaging_limit_tier: row.messaging_limit_tier,
    created_at: row.created_at.toISOString(),
    synced_at: row.synced_at?.toISOString() ?? null,
    quality_event: row.quality_event,
    health_updated_at: row.health_updated_at?.toISOString() ?? null,
    messaging_limit: limits.get(row.portfolio_id) ?? unknownLimit(row.portfolio_id, row.messaging_limit_tier),
  };
}
