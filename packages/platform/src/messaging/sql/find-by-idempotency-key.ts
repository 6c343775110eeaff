/** The message first accepted under a tenant's idempotency key. */
import type { Sql } from '../../db/connect.js';

export interface IdempotentMessage {
  wamid: string;
  recipient: string;
  type: string;
  to: string | null;
  request_hash: Buffer | null;
}

export async function findByIdempotencyKey(sql: Sql, tenantId: string, key: string): Promise<IdempotentMessage | undefined> {
  const [row] = await sql<IdempotentMessage[]>`
    select wamid, recipient, type, body->>'to' as to, request_hash
    from messages where tenant_id = ${tenantId} and idempotency_key = ${key}`;
  return row;
}
