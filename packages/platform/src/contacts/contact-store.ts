/**
 * Reads of a tenant's contacts and their audit trail. Every query is scoped by tenant id. Lists
 * are in wa_id order (a directory, not a feed), keyset-paged on the last wa_id.
 */
import type { Sql } from '../db/connect.js';

export interface ContactRecord {
  tenant_id: string;
  wa_id: string;
  subscription: boolean | null;
  name: string | null;
  subscription_changed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface ContactEventRecord {
  id: string;
  from_subscription: boolean | null;
  to_subscription: boolean | null;
  source: string;
  actor: string;
  proof: string | null;
  at: Date;
}

export interface ContactFilter {
  /** true / false / null (unset); undefined: any. */
  subscription: boolean | null | undefined;
  /** Digits: a wa_id prefix; anything else: part of the name. */
  search: string | undefined;
  after: string | undefined;
  limit: number;
}

/** Audit rows returned with one contact (newest first). */
export const MAX_TRAIL = 500;

/** Fetches limit + 1 rows so the caller knows whether there is a next page. */
export async function listContacts(sql: Sql, tenantId: string, filter: ContactFilter): Promise<ContactRecord[]> {
  const digits = filter.search !== undefined && /^\+?\d+$/.test(filter.search) ? filter.search.replace('+', '') : undefined;
  const words = filter.search !== undefined && digits === undefined ? filter.search.replace(/[\\%_]/g, (c) => `\\${c}`) : undefined;
  return sql<ContactRecord[]>`
    select tenant_id, wa_id, subscription, name, subscription_changed_at, created_at, updated_at
    from contacts
    where tenant_id = ${tenantId}
      ${filter.subscription === undefined ? sql`` : filter.subscription === null ? sql`and subscription is null` : sql`and subscription = ${filter.subscription}`}
      ${digits !== undefined ? sql`and left(wa_id, ${digits.length}) = ${digits}` : sql``}
      ${words !== undefined ? sql`and name ilike ${`%${words}%`}` : sql``}
      ${filter.after !== undefined ? sql`and wa_id > ${filter.after}` : sql``}
    order by wa_id
    limit ${filter.limit + 1}`;
}

export async function findContact(sql: Sql, tenantId: string, waId: string): Promise<ContactRecord | undefined> {
  const [row] = await sql<ContactRecord[]>`
    select tenant_id, wa_id, subscription, name, subscription_changed_at, created_at, updated_at
    from contacts where tenant_id = ${tenantId} and wa_id = ${waId}`;
  return row;
}

export async function contactTrail(sql: Sql, tenantId: string, waId: string): Promise<ContactEventRecord[]> {
  return sql<ContactEventRecord[]>`
    select id::text as id, from_subscription, to_subscription, source, actor, proof, at
    from contact_events where tenant_id = ${tenantId} and wa_id = ${waId}
    order by contact_events.id desc limit ${MAX_TRAIL}`;
}

/** Contacts per status, for the list's summary. */
export async function countContacts(sql: Sql, tenantId: string): Promise<{ TRUE: number; FALSE: number; UNSET: number }> {
  const rows = await sql<{ subscription: boolean | null; n: number }[]>`
    select subscription, count(*)::int as n from contacts where tenant_id = ${tenantId} group by subscription`;
  const of = (v: boolean | null) => rows.find((r) => r.subscription === v)?.n ?? 0;
  return { TRUE: of(true), FALSE: of(false), UNSET: of(null) };
}
