/**
 * The tenant's default callback URL (Meta's app callback): where every event goes unless a WABA or
 * phone-number override takes it, and where template and account events always go.
 */
import type { PlatformContext } from '../context.js';
import type { CallbackChange } from './callback-config.js';
import { verifyCallback } from './verify-callback.js';

export interface WebhookDefault {
  url: string | null;
  updatedAt: Date | null;
}

export async function getWebhookDefault(ctx: PlatformContext, tenantId: string): Promise<WebhookDefault> {
  const [row] = await ctx.sql<{ url: string; updated_at: Date }[]>`
    select url, updated_at from webhook_defaults where tenant_id = ${tenantId}`;
  return { url: row?.url ?? null, updatedAt: row?.updated_at ?? null };
}

/** Verifies a new URL with Meta's handshake before storing it; nothing changes if it fails. */
export async function setWebhookDefault(ctx: PlatformContext, tenantId: string, change: CallbackChange): Promise<WebhookDefault> {
  const now = new Date(ctx.clock.now());
  if (change.kind === 'set') {
    await verifyCallback(ctx.tenantHttp, change.url, change.verifyToken);
    await ctx.sql`
      insert into webhook_defaults (tenant_id, url, verify_token_enc, updated_at)
      values (${tenantId}, ${change.url}, ${ctx.box.seal(change.verifyToken)}, ${now})
      on conflict (tenant_id) do update set
        url = excluded.url, verify_token_enc = excluded.verify_token_enc, updated_at = excluded.updated_at`;
  } else if (change.kind === 'clear') {
    await ctx.sql`delete from webhook_defaults where tenant_id = ${tenantId}`;
  }
  return getWebhookDefault(ctx, tenantId);
}
