/**
 * Re-reads a WABA's name and numbers from Meta with its stored token (new numbers, status,
 * quality, throughput, messaging limit). Scoped: another tenant's WABA does not exist here.
 */
import { unknownObject } from '@switchboard/wire';
import type { TenantScope } from '../api/tenant-scope.js';
import type { AssetDeps } from './attach-waba.js';
import { findWaba, type WabaView } from './asset-store.js';
import { readWaba } from './read-waba.js';
import { storeWaba } from './store-waba.js';

export async function syncWaba(deps: AssetDeps, scope: TenantScope, wabaId: string): Promise<WabaView> {
  const { sql } = deps;
  const [row] = await sql<{ tenant_id: string; access_token_enc: Buffer }[]>`
    select tenant_id, access_token_enc from wabas
    where id = ${wabaId} ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}`;
  if (!row) throw unknownObject(wabaId, 'post');
  const waba = await readWaba(deps.graph, wabaId, deps.box.open(row.access_token_enc));
  await storeWaba(sql, { tenantId: row.tenant_id, waba, accessTokenEnc: row.access_token_enc, now: new Date(deps.clock.now()) });
  return (await findWaba(sql, { tenantId: row.tenant_id }, wabaId))!;
}
