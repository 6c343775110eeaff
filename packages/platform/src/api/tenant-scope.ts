/**
 * Which tenant a /api/v1 request reads or acts for. A tenant key always means its own tenant; the
 * operator names one with `tenant_id`, or reads across all tenants by leaving it out. Another
 * tenant's id given with a tenant key is answered exactly like an id that does not exist.
 */
import { missingParameter, unknownObject } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import type { ApiPrincipal } from './api-auth.js';
import { isUuid } from './ids.js';

/** `tenantId: null` means every tenant (the operator without tenant_id). */
export interface TenantScope {
  tenantId: string | null;
}

async function tenantExists(ctx: PlatformContext, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const [row] = await ctx.sql`select 1 from tenants where id = ${id}`;
  return row !== undefined;
}

/** The scope of a read: the tenant's own, or for the operator the named tenant or all of them. */
export async function readScope(ctx: PlatformContext, principal: ApiPrincipal, tenantId: string | undefined): Promise<TenantScope> {
  if (principal.kind === 'tenant') {
    if (tenantId !== undefined && tenantId !== principal.tenantId) throw unknownObject(tenantId);
    return { tenantId: principal.tenantId };
  }
  if (tenantId === undefined) return { tenantId: null };
  if (!(await tenantExists(ctx, tenantId))) throw unknownObject(tenantId);
  return { tenantId };
}

/** The one tenant a change is made for: the caller's own, or the one the operator names. */
export async function actingTenant(ctx: PlatformContext, principal: ApiPrincipal, tenantId: string | undefined): Promise<string> {
  const scope = await readScope(ctx, principal, tenantId);
  if (scope.tenantId === null) throw missingParameter('tenant_id');
  return scope.tenantId;
}
