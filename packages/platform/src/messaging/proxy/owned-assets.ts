/**
 * Which Graph ids a tenant may address through the Cloud-API-compatible surface, and the Meta
 * token to use for each. An id the tenant does not own behaves exactly like one that does not
 * exist (Meta's 100 with subcode 33).
 */
import { unknownObject } from '@switchboard/wire';
import type { PlatformContext } from '../../context.js';
import { numberOfTenant, wabaToken } from '../numbers.js';

export type OwnedAsset =
  | { kind: 'phone'; id: string; wabaId: string; token: string }
  | { kind: 'waba'; id: string; wabaId: string; token: string }
  | { kind: 'media'; id: string; wabaId: string; token: string; phoneNumberId: string }
  | { kind: 'template'; id: string; wabaId: string; token: string };

const GRAPH_ID = /^\d{1,20}$/;

export async function ownedAsset(ctx: PlatformContext, tenantId: string, id: string, method: string): Promise<OwnedAsset> {
  if (!GRAPH_ID.test(id)) throw unknownObject(id, method);
  const [row] = await ctx.sql<{ kind: OwnedAsset['kind']; waba_id: string; phone_number_id: string | null }[]>`
    select 'phone' as kind, waba_id, id as phone_number_id from phone_numbers where id = ${id} and tenant_id = ${tenantId}
    union all select 'waba', id, null from wabas where id = ${id} and tenant_id = ${tenantId}
    union all select 'media', p.waba_id, m.phone_number_id from media m join phone_numbers p on p.id = m.phone_number_id
      where m.id = ${id} and m.tenant_id = ${tenantId}
    union all select 'template', waba_id, null from template_refs where id = ${id} and tenant_id = ${tenantId}
    limit 1`;
  if (!row) throw unknownObject(id, method);
  const token = await wabaToken(ctx, row.waba_id);
  if (!token) throw unknownObject(id, method);
  if (row.kind === 'media') return { kind: 'media', id, wabaId: row.waba_id, token, phoneNumberId: row.phone_number_id! };
  return { kind: row.kind, id, wabaId: row.waba_id, token };
}

export async function ownedWaba(ctx: PlatformContext, tenantId: string, id: string, method: string): Promise<OwnedAsset> {
  const asset = await ownedAsset(ctx, tenantId, id, method);
  if (asset.kind !== 'waba') throw unknownObject(id, method);
  return asset;
}

export async function ownedPhone(ctx: PlatformContext, tenantId: string, id: string, method: string): Promise<OwnedAsset & { kind: 'phone' }> {
  const number = await numberOfTenant(ctx, tenantId, id, method);
  const token = await wabaToken(ctx, number.wabaId);
  if (!token) throw unknownObject(id, method);
  return { kind: 'phone', id, wabaId: number.wabaId, token };
}
