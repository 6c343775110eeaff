/**
 * Phone numbers and their WABA tokens as the hot paths need them, cached briefly (10 s): every send
 * resolves its number, every dispatch needs the WABA's Meta token. Lookups are scoped by tenant:
 * another tenant's number behaves exactly like one that does not exist.
 */
import { callingCode, unknownObject } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';

export interface NumberInfo {
  id: string;
  tenantId: string;
  wabaId: string;
  displayPhoneNumber: string;
  callingCode: string | undefined;
  mps: number;
}

const TTL_MS = 10_000;

interface Caches {
  numbers: Map<string, { value: NumberInfo | undefined; until: number }>;
  tokens: Map<string, { value: string; until: number }>;
}

// Per platform instance (tests run several in one process, each on its own database).
const perContext = new WeakMap<PlatformContext, Caches>();

function caches(ctx: PlatformContext): Caches {
  let c = perContext.get(ctx);
  if (!c) perContext.set(ctx, (c = { numbers: new Map(), tokens: new Map() }));
  return c;
}

async function loadNumber(ctx: PlatformContext, id: string): Promise<NumberInfo | undefined> {
  const { numbers } = caches(ctx);
  const hit = numbers.get(id);
  const now = ctx.clock.now();
  if (hit && hit.until > now) return hit.value;
  const [row] = await ctx.sql<{ id: string; tenant_id: string; waba_id: string; display_phone_number: string; mps: number }[]>`
    select id, tenant_id, waba_id, display_phone_number, mps from phone_numbers where id = ${id}`;
  const value = row
    ? {
        id: row.id,
        tenantId: row.tenant_id,
        wabaId: row.waba_id,
        displayPhoneNumber: row.display_phone_number,
        callingCode: callingCode(row.display_phone_number),
        mps: row.mps,
      }
    : undefined;
  if (numbers.size > 50_000) numbers.clear();
  numbers.set(id, { value, until: now + TTL_MS });
  return value;
}

/** The tenant's number, or Meta's "object does not exist" error. */
export async function numberOfTenant(ctx: PlatformContext, tenantId: string, id: string, method = 'post'): Promise<NumberInfo> {
  const found = /^\d{1,20}$/.test(id) ? await loadNumber(ctx, id) : undefined;
  if (!found || found.tenantId !== tenantId) throw unknownObject(id, method);
  return found;
}

/** A number by id regardless of tenant, for workers acting on stored work. */
export async function numberById(ctx: PlatformContext, id: string): Promise<NumberInfo | undefined> {
  return loadNumber(ctx, id);
}

/** The WABA's Meta access token, decrypted. */
export async function wabaToken(ctx: PlatformContext, wabaId: string): Promise<string | undefined> {
  const { tokens } = caches(ctx);
  const hit = tokens.get(wabaId);
  const now = ctx.clock.now();
  if (hit && hit.until > now) return hit.value;
  const [row] = await ctx.sql<{ access_token_enc: Buffer }[]>`select access_token_enc from wabas where id = ${wabaId}`;
  if (!row) return undefined;
  const value = ctx.box.open(row.access_token_enc);
  tokens.set(wabaId, { value, until: now + TTL_MS });
  return value;
}

/** Drops cached numbers and tokens (after attaching or changing them in this process). */
export function forgetNumbers(ctx: PlatformContext): void {
  perContext.delete(ctx);
}
