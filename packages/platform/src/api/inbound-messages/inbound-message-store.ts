/** Reads of the messages users sent, scoped by tenant, newest first (keyset on id). */
import type { Sql } from '../../db/connect.js';
import type { TenantScope } from '../tenant-scope.js';

export interface InboundMessageRow {
  id: string;
  meta_wamid: string;
  tenant_id: string;
  phone_number_id: string;
  sender: string;
  type: string;
  body: unknown;
  content_redacted_at: Date | null;
  sent_at: Date;
  received_at: Date;
}

export interface InboundFilter {
  phoneNumberId: string | undefined;
  sender: string | undefined;
  beforeId: string | undefined;
  limit: number;
}

/** Fetches limit + 1 rows so the caller knows whether there is a next page. */
export async function listInboundMessages(sql: Sql, scope: TenantScope, filter: InboundFilter): Promise<InboundMessageRow[]> {
  return sql<InboundMessageRow[]>`
    select id, meta_wamid, tenant_id, phone_number_id, sender, type, body, content_redacted_at, sent_at, received_at
    from inbound_messages
    where true
      ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}
      ${filter.beforeId !== undefined ? sql`and id < ${filter.beforeId}::bigint` : sql``}
      ${filter.phoneNumberId !== undefined ? sql`and phone_number_id = ${filter.phoneNumberId}` : sql``}
      ${filter.sender !== undefined ? sql`and sender = ${filter.sender}` : sql``}
    order by id desc
    limit ${filter.limit + 1}`;
}
