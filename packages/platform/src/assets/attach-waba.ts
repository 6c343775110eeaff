/**
 * Attaching a tenant's WABA: the one service behind `POST /api/v1/wabas` and
 * `switchboard wabas attach`. Checks the input and who owns the WABA before calling Meta, then
 * verifies the token with Meta, subscribes the BSP's app to the WABA's webhooks, reads its
 * numbers and stores everything (token encrypted) in one transaction. Attaching a WABA again for
 * the same tenant replaces its token and refreshes its numbers.
 *
 * @example
 *   const waba = await attachWaba(ctx, { tenantId, wabaId: '1029384756', accessToken: 'EAAG…' });
 *   waba.phone_numbers[0]?.id // the phone-number id to send from
 */
import { GRAPH_ID, invalidParameter, unknownObject } from '@switchboard/wire';
import type { Clock } from '@switchboard/runtime';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Sql } from '../db/connect.js';
import type { GraphClient } from '../graph/graph-client.js';
import { isUuid } from '../api/ids.js';
import { findWaba, type WabaView } from './asset-store.js';
import { readWaba, subscribeApp } from './read-waba.js';
import { ownedByAnotherTenant, storeWaba } from './store-waba.js';

/** What attaching needs; a PlatformContext has it all, the CLI builds it from configuration. */
export interface AssetDeps {
  sql: Sql;
  box: SecretBox;
  graph: GraphClient;
  clock: Clock;
}

export interface AttachWabaInput {
  tenantId: string;
  wabaId: string;
  accessToken: string;
}

export async function attachWaba(deps: AssetDeps, input: AttachWabaInput): Promise<WabaView> {
  const { sql } = deps;
  const wabaId = input.wabaId.trim();
  const token = input.accessToken.trim();
  if (!GRAPH_ID.test(wabaId)) throw invalidParameter('Param waba_id must be a numeric WhatsApp Business Account id.');
  if (!/^\S{1,2048}$/.test(token)) throw invalidParameter('Param access_token must be a Meta access token (no spaces).');
  const [tenant] = isUuid(input.tenantId) ? await sql`select id from tenants where id = ${input.tenantId}` : [];
  if (!tenant) throw unknownObject(input.tenantId);
  // Checked before Meta is called, so refusing another tenant's WABA has no effect at Meta either;
  // storeWaba checks again, atomically, against a concurrent attach.
  const [owner] = await sql<{ tenant_id: string }[]>`select tenant_id from wabas where id = ${wabaId}`;
  if (owner && owner.tenant_id !== input.tenantId) throw ownedByAnotherTenant('WABA', wabaId);

  const waba = await readWaba(deps.graph, wabaId, token);
  await subscribeApp(deps.graph, wabaId, token);
  await storeWaba(sql, { tenantId: input.tenantId, waba, accessTokenEnc: deps.box.seal(token), now: new Date(deps.clock.now()) });
  return (await findWaba(sql, { tenantId: input.tenantId }, wabaId))!;
}
