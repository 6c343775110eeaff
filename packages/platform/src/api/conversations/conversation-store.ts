/**
 * Reads of customer-service windows (the last message from each user to each number), scoped by
 * tenant, most recently active first. "Open" is decided against the injected clock's time,
 * passed in, never the database's now().
 */
import type { Sql } from '../../db/connect.js';
import type { TenantScope } from '../tenant-scope.js';

/** Meta's customer-service window: 24 hours from the user's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ConversationRow {
  phone_number_id: string;
  wa_id: string;
  tenant_id: string;
  last_inbound_at: Date;
  fep_expires_at: Date | null;
}

export interface ConversationFilter {
  phoneNumberId: string | undefined;
  waId: string | undefined;
  open: boolean | undefined;
  now: Date;
  /** (phone_number_id, wa_id) of the last conversation of the previous page. */
  after: [string, string] | undefined;
  limit: number;
}

/** Fetches limit + 1 rows so the caller knows whether there is a next page. */
export async function listConversations(sql: Sql, scope: TenantScope, filter: ConversationFilter): Promise<ConversationRow[]> {
  const windowStart = new Date(filter.now.getTime() - SERVICE_WINDOW_MS);
  return sql<ConversationRow[]>`
    select phone_number_id, wa_id, tenant_id, last_inbound_at, fep_expires_at
    from conversations
    where true
      ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}
      ${filter.phoneNumberId !== undefined ? sql`and phone_number_id = ${filter.phoneNumberId}` : sql``}
      ${filter.waId !== undefined ? sql`and wa_id = ${filter.waId}` : sql``}
      ${filter.open === true ? sql`and last_inbound_at > ${windowStart}` : filter.open === false ? sql`and last_inbound_at <= ${windowStart}` : sql``}
      ${
        filter.after !== undefined
          ? sql`and (last_inbound_at, phone_number_id, wa_id) < (
              select last_inbound_at, phone_number_id, wa_id from conversations
              where phone_number_id = ${filter.after[0]} and wa_id = ${filter.after[1]})`
          : sql``
      }
    order by last_inbound_at desc, phone_number_id desc, wa_id desc
    limit ${filter.limit + 1}`;
}
