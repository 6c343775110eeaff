/**
 * Reads of the outbound message history, scoped by tenant. Pages are keyset on the message id
 * (newest first), served by messages_tenant_recent; filters narrow within the tenant's rows.
 */
import type { Sql } from '../../db/connect.js';
import type { TenantScope } from '../tenant-scope.js';

export interface MessageRow {
  id: string;
  wamid: string;
  tenant_id: string;
  phone_number_id: string;
  recipient: string;
  type: string;
  status: string;
  attempts: number;
  error: unknown;
  idempotency_key: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface MessageFilter {
  phoneNumberId: string | undefined;
  recipient: string | undefined;
  status: string | undefined;
  /** Id of the last message of the previous page. */
  beforeId: string | undefined;
  limit: number;
}

export interface AttemptRow {
  attempt: number;
  started_at: Date;
  finished_at: Date;
  outcome: string;
  http_status: number | null;
  meta_code: number | null;
  response: unknown;
}

export interface StatusRow {
  status: string;
  at: Date;
  pricing: unknown;
  errors: unknown;
}

/** Fetches limit + 1 rows so the caller knows whether there is a next page. */
export async function listMessages(sql: Sql, scope: TenantScope, filter: MessageFilter): Promise<MessageRow[]> {
  return sql<MessageRow[]>`
    select id, wamid, tenant_id, phone_number_id, recipient, type, status, attempts, error, idempotency_key, created_at, updated_at
    from messages
    where true
      ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}
      ${filter.beforeId !== undefined ? sql`and id < ${filter.beforeId}::bigint` : sql``}
      ${filter.phoneNumberId !== undefined ? sql`and phone_number_id = ${filter.phoneNumberId}` : sql``}
      ${filter.recipient !== undefined ? sql`and recipient = ${filter.recipient}` : sql``}
      ${filter.status !== undefined ? sql`and status = ${filter.status}` : sql``}
    order by id desc
    limit ${filter.limit + 1}`;
}

/** A message's body, and when its content was removed past its retention (null: it was not). */
export interface MessageContent {
  body: unknown;
  content_redacted_at: Date | null;
}

export async function getMessage(
  sql: Sql,
  scope: TenantScope,
  wamid: string,
): Promise<{ message: MessageRow & MessageContent; attempts: AttemptRow[]; statuses: StatusRow[] } | undefined> {
  const [message] = await sql<(MessageRow & MessageContent)[]>`
    select id, wamid, tenant_id, phone_number_id, recipient, type, body, content_redacted_at, status, attempts, error, idempotency_key, created_at, updated_at
    from messages
    where wamid = ${wamid} ${scope.tenantId !== null ? sql`and tenant_id = ${scope.tenantId}` : sql``}`;
  if (!message) return undefined;
  const [attempts, statuses] = await Promise.all([
    sql<AttemptRow[]>`
      select attempt, started_at, finished_at, outcome, http_status, meta_code, response
      from message_attempts where message_id = ${message.id} order by id`,
    sql<StatusRow[]>`select status, at, pricing, errors from message_statuses where message_id = ${message.id} order by at, status`,
  ]);
  return { message, attempts, statuses };
}
