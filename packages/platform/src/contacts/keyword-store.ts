/**
 * A tenant's keywords: its own rows in contact_keywords, or the defaults when it has none.
 * Saving replaces the whole set in one transaction; saving an empty list turns keywords off
 * (distinct from "no rows", which means defaults): it is stored as a single language with no
 * keywords.
 */
import type { TransactionSql } from 'postgres';
import type { Sql } from '../db/connect.js';
import { DEFAULT_KEYWORDS, type KeywordLanguage } from './keywords.js';

export interface TenantKeywords {
  custom: boolean;
  languages: KeywordLanguage[];
}

interface KeywordRow {
  language: string;
  opt_out: string[];
  opt_in: string[];
  opt_out_reply: string | null;
  opt_in_reply: string | null;
}

export async function tenantKeywords(sql: Sql | TransactionSql, tenantId: string): Promise<TenantKeywords> {
  const rows = await sql<KeywordRow[]>`
    select language, opt_out, opt_in, opt_out_reply, opt_in_reply from contact_keywords where tenant_id = ${tenantId} order by language`;
  if (rows.length === 0) return { custom: false, languages: DEFAULT_KEYWORDS.map((l) => ({ ...l })) };
  return {
    custom: true,
    languages: rows
      // The "off" marker (language '') holds no keywords.
      .filter((r) => r.language !== '')
      .map((r) => ({ language: r.language, optOut: r.opt_out, optIn: r.opt_in, optOutReply: r.opt_out_reply, optInReply: r.opt_in_reply })),
  };
}

/** Replaces the tenant's keywords; an empty list switches keywords off. */
export async function saveTenantKeywords(sql: Sql, tenantId: string, languages: KeywordLanguage[]): Promise<void> {
  const rows = languages.length > 0 ? languages : [{ language: '', optOut: [], optIn: [], optOutReply: null, optInReply: null }];
  await sql.begin(async (tx) => {
    await tx`delete from contact_keywords where tenant_id = ${tenantId}`;
    for (const l of rows) {
      await tx`
        insert into contact_keywords (tenant_id, language, opt_out, opt_in, opt_out_reply, opt_in_reply)
        values (${tenantId}, ${l.language}, ${l.optOut}, ${l.optIn}, ${l.optOutReply}, ${l.optInReply})`;
    }
  });
}

/** Back to the defaults. */
export async function resetTenantKeywords(sql: Sql, tenantId: string): Promise<void> {
  await sql`delete from contact_keywords where tenant_id = ${tenantId}`;
}
