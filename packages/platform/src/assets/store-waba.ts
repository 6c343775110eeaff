/**
 * Stores a WABA and its numbers as Meta described them, for one tenant, in one transaction. The
 * database settles ownership: an upsert only updates rows the same tenant owns, so a WABA or a
 * number that belongs to another tenant — even one attached by a concurrent request — aborts the
 * whole write and nothing changes.
 */
import { invalidParameter } from '@switchboard/wire';
import type { Sql } from '../db/connect.js';
import { recordNumberReads } from '../limits/number-health.js';
import type { MetaWaba } from './read-waba.js';

export function ownedByAnotherTenant(kind: 'WABA' | 'phone number', id: string) {
  return invalidParameter(
    `The ${kind} ${id} is already attached to another tenant. Detach it there first; nothing was changed.`,
  );
}

export async function storeWaba(
  sql: Sql,
  input: { tenantId: string; waba: MetaWaba; accessTokenEnc: Buffer; now: Date },
): Promise<void> {
  const { tenantId, waba, now } = input;
  await sql.begin(async (tx) => {
    const [stored] = await tx`
      insert into wabas (id, tenant_id, name, business_id, access_token_enc, created_at, synced_at)
      values (${waba.id}, ${tenantId}, ${waba.name}, ${waba.businessId}, ${input.accessTokenEnc}, ${now}, ${now})
      on conflict (id) do update set name = excluded.name, business_id = coalesce(excluded.business_id, wabas.business_id),
        access_token_enc = excluded.access_token_enc, synced_at = excluded.synced_at
        where wabas.tenant_id = excluded.tenant_id
      returning id`;
    if (!stored) throw ownedByAnotherTenant('WABA', waba.id);
    if (waba.numbers.length === 0) return;
    const n = waba.numbers;
    // Drops against what was stored raise alerts; the portfolio's tier follows the read (limits/).
    await recordNumberReads(tx, { tenantId, wabaId: waba.id, numbers: n, now });
    const written = await tx<{ id: string }[]>`
      insert into phone_numbers (id, tenant_id, waba_id, display_phone_number, verified_name, quality_rating, status, mps,
                                 throughput_level, messaging_limit_tier, created_at, synced_at)
      select id, ${tenantId}, ${waba.id}, display, verified, quality, status, mps, throughput, tier, ${now}, ${now}
      from unnest(${n.map((p) => p.id)}::text[], ${n.map((p) => p.displayPhoneNumber)}::text[], ${n.map((p) => p.verifiedName)}::text[],
                  ${n.map((p) => p.qualityRating)}::text[], ${n.map((p) => p.status)}::text[], ${n.map((p) => p.mps)}::int[],
                  ${n.map((p) => p.throughputLevel)}::text[], ${n.map((p) => p.messagingLimitTier)}::text[])
        as t(id, display, verified, quality, status, mps, throughput, tier)
      on conflict (id) do update set
        waba_id = excluded.waba_id, display_phone_number = excluded.display_phone_number, verified_name = excluded.verified_name,
        quality_rating = excluded.quality_rating, status = excluded.status, mps = excluded.mps,
        throughput_level = excluded.throughput_level, messaging_limit_tier = excluded.messaging_limit_tier, synced_at = excluded.synced_at
        where phone_numbers.tenant_id = excluded.tenant_id
      returning id`;
    if (written.length !== n.length) {
      const mine = new Set(written.map((r) => r.id));
      throw ownedByAnotherTenant('phone number', n.find((p) => !mine.has(p.id))!.id);
    }
  });
}
