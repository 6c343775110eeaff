/**
 * A WABA's webhook subscription: subscribed or not (DELETE /{waba-id}/subscribed_apps stops its
 * events), and an optional override URL for the fields that follow overrides. A WABA without a row
 * is subscribed with no override. Every function takes the tenant id: another tenant's WABA is
 * answered exactly like one that does not exist (100/33).
 */
import { unknownObject } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import type { CallbackChange } from './callback-config.js';
import { verifyCallback } from './verify-callback.js';

export interface WabaSubscription {
  wabaId: string;
  /** The tenant's name: Meta's subscribed_apps lists the app, which for a tenant is itself. */
  tenantName: string;
  subscribed: boolean;
  overrideUrl: string | null;
  defaultUrl: string | null;
  updatedAt: Date | null;
}

export async function getWabaSubscription(ctx: PlatformContext, tenantId: string, wabaId: string, method = 'get'): Promise<WabaSubscription> {
  const [row] = await ctx.sql<
    { id: string; tenant_name: string; subscribed: boolean | null; override_url: string | null; default_url: string | null; updated_at: Date | null }[]
  >`
    select w.id, t.name as tenant_name, s.subscribed, s.override_url, d.url as default_url, s.updated_at
    from wabas w
    join tenants t on t.id = w.tenant_id
    left join waba_webhook_subscriptions s on s.waba_id = w.id
    left join webhook_defaults d on d.tenant_id = w.tenant_id
    where w.id = ${wabaId} and w.tenant_id = ${tenantId}`;
  if (!row) throw unknownObject(wabaId, method);
  return {
    wabaId: row.id,
    tenantName: row.tenant_name,
    subscribed: row.subscribed ?? true,
    overrideUrl: row.override_url,
    defaultUrl: row.default_url,
    updatedAt: row.updated_at,
  };
}

export interface WabaSubscriptionUpdate {
  /** undefined keeps the current state. */
  subscribed?: boolean;
  override: CallbackChange;
}

/** Checks ownership, then the handshake of a new override, then stores; nothing changes on failure. */
export async function setWabaSubscription(
  ctx: PlatformContext,
  tenantId: string,
  wabaId: string,
  update: WabaSubscriptionUpdate,
  method = 'post',
): Promise<WabaSubscription> {
  await getWabaSubscription(ctx, tenantId, wabaId, method);
  const { override } = update;
  if (override.kind === 'set') await verifyCallback(ctx.tenantHttp, override.url, override.verifyToken);
  const url = override.kind === 'set' ? override.url : null;
  const tokenEnc = override.kind === 'set' ? ctx.box.seal(override.verifyToken) : null;
  const keep = override.kind === 'keep';
  await ctx.sql`
    insert into waba_webhook_subscriptions as s (waba_id, tenant_id, subscribed, override_url, verify_token_enc, updated_at)
    values (${wabaId}, ${tenantId}, ${update.subscribed ?? true}, ${url}, ${tokenEnc}, ${new Date(ctx.clock.now())})
    on conflict (waba_id) do update set
      tenant_id = excluded.tenant_id,
      subscribed = ${update.subscribed === undefined ? ctx.sql`s.subscribed` : update.subscribed},
      override_url = case when ${keep} then s.override_url else excluded.override_url end,
      verify_token_enc = case when ${keep} then s.verify_token_enc else excluded.verify_token_enc end,
      updated_at = excluded.updated_at`;
  return getWabaSubscription(ctx, tenantId, wabaId, method);
}
