/**
 * A phone number's webhook override: `POST /{phone-number-id}` with
 * `{"webhook_configuration":{"override_callback_uri","verify_token"}}` ("" clears it), the first
 * link of the chain phone number → WABA → tenant default for the fields that follow overrides.
 * The Cloud-API surface (messaging/routes.ts) owns POST /{id} and calls setPhoneWebhookOverride.
 */
import { invalidParameter, unknownObject } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { OVERRIDE_URL_MAX, parseCallback, type CallbackChange } from './callback-config.js';
import { objectParam, optionalString } from './graph-params.js';
import { verifyCallback } from './verify-callback.js';

export interface PhoneWebhook {
  phoneNumberId: string;
  wabaId: string;
  overrideUrl: string | null;
  wabaOverrideUrl: string | null;
  wabaSubscribed: boolean;
  defaultUrl: string | null;
  updatedAt: Date | null;
}

export async function getPhoneWebhook(ctx: PlatformContext, tenantId: string, phoneNumberId: string, method = 'get'): Promise<PhoneWebhook> {
  const [row] = await ctx.sql<
    {
      id: string;
      waba_id: string;
      url: string | null;
      waba_url: string | null;
      subscribed: boolean | null;
      default_url: string | null;
      updated_at: Date | null;
    }[]
  >`
    select p.id, p.waba_id, o.url, s.override_url as waba_url, s.subscribed, d.url as default_url, o.updated_at
    from phone_numbers p
    left join phone_webhook_overrides o on o.phone_number_id = p.id
    left join waba_webhook_subscriptions s on s.waba_id = p.waba_id
    left join webhook_defaults d on d.tenant_id = p.tenant_id
    where p.id = ${phoneNumberId} and p.tenant_id = ${tenantId}`;
  if (!row) throw unknownObject(phoneNumberId, method);
  return {
    phoneNumberId: row.id,
    wabaId: row.waba_id,
    overrideUrl: row.url,
    wabaOverrideUrl: row.waba_url,
    wabaSubscribed: row.subscribed ?? true,
    defaultUrl: row.default_url,
    updatedAt: row.updated_at,
  };
}

/** Checks ownership, then the handshake of a new override, then stores; nothing changes on failure. */
export async function updatePhoneWebhook(
  ctx: PlatformContext,
  tenantId: string,
  phoneNumberId: string,
  change: CallbackChange,
  method = 'post',
): Promise<PhoneWebhook> {
  await getPhoneWebhook(ctx, tenantId, phoneNumberId, method);
  if (change.kind === 'set') {
    await verifyCallback(ctx.tenantHttp, change.url, change.verifyToken);
    await ctx.sql`
      insert into phone_webhook_overrides (phone_number_id, tenant_id, url, verify_token_enc, updated_at)
      values (${phoneNumberId}, ${tenantId}, ${change.url}, ${ctx.box.seal(change.verifyToken)}, ${new Date(ctx.clock.now())})
      on conflict (phone_number_id) do update set
        tenant_id = excluded.tenant_id, url = excluded.url, verify_token_enc = excluded.verify_token_enc, updated_at = excluded.updated_at`;
  } else if (change.kind === 'clear') {
    await ctx.sql`delete from phone_webhook_overrides where phone_number_id = ${phoneNumberId} and tenant_id = ${tenantId}`;
  }
  return getPhoneWebhook(ctx, tenantId, phoneNumberId, method);
}

/**
 * POST /{phone-number-id} with `webhook_configuration`, as Meta answers it: `{"success":true}`.
 * `config` is the raw parameter (an object, or a JSON string from a form body).
 */
export async function setPhoneWebhookOverride(
  ctx: PlatformContext,
  tenantId: string,
  phoneNumberId: string,
  config: unknown,
): Promise<{ success: true }> {
  const params = objectParam(config, 'webhook_configuration');
  const url = optionalString(params, 'override_callback_uri', 'webhook_configuration[override_callback_uri]');
  const token = optionalString(params, 'verify_token', 'webhook_configuration[verify_token]');
  if (url === undefined) throw invalidParameter('Param webhook_configuration[override_callback_uri] is required.');
  const change = parseCallback(url, token, {
    url: 'webhook_configuration[override_callback_uri]',
    verifyToken: 'webhook_configuration[verify_token]',
    maxLength: OVERRIDE_URL_MAX,
  });
  await updatePhoneWebhook(ctx, tenantId, phoneNumberId, change);
  return { success: true };
}

/**
 * What `GET /{phone-number-id}?fields=webhook_configuration` shows Meta-side, for the tenant's
 * own configuration: `{phone_number?, whatsapp_business_account?, application?}` URLs.
 */
export async function phoneWebhookConfiguration(
  ctx: PlatformContext,
  tenantId: string,
  phoneNumberId: string,
): Promise<{ phone_number?: string; whatsapp_business_account?: string; application?: string }> {
  const phone = await getPhoneWebhook(ctx, tenantId, phoneNumberId);
  return {
    ...(phone.overrideUrl ? { phone_number: phone.overrideUrl } : {}),
    ...(phone.wabaOverrideUrl ? { whatsapp_business_account: phone.wabaOverrideUrl } : {}),
    ...(phone.defaultUrl ? { application: phone.defaultUrl } : {}),
  };
}
