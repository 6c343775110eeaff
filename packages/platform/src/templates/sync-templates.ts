/**
 * Reading templates from Meta into the local copy: a WABA's whole list (the periodic reconcile,
 * POST /api/v1/templates:sync, a webhook about a template the platform does not know) or the
 * templates of one name and language (a send about to be refused on the local copy's word).
 *
 * Meta is read outside any transaction; the local versions are noted first so that a webhook
 * applied while Meta was being read is not overwritten by the (possibly older) read.
 */
import { ErrorCode, GraphError, unknownObject } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { wabaToken } from '../messaging/numbers.js';
import { readMetaTemplate, TEMPLATE_FIELDS, type MetaTemplate } from './meta-template.js';
import { storeMetaTemplates, type MetaTemplatesResult } from './store-meta-templates.js';

/** Reconcile period per WABA. Webhooks keep the copy current; this catches what they missed. */
export const RECONCILE_INTERVAL_MS = 15 * 60_000;
const PAGE_SIZE = 100;
/** 100 a page; 6,000 templates (Meta's cap for a verified business) is 60 pages. */
const MAX_PAGES = 80;

export interface WabaSyncResult extends MetaTemplatesResult {
  waba_id: string;
  templates: number;
}

async function readPages(ctx: PlatformContext, wabaId: string, token: string, filter: Record<string, string>): Promise<MetaTemplate[]> {
  const out: MetaTemplate[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await ctx.graph.call('GET', `${wabaId}/message_templates`, {
      token,
      query: { fields: TEMPLATE_FIELDS, limit: String(PAGE_SIZE), ...filter, ...(after ? { after } : {}) },
    });
    if (!Array.isArray(body.data)) {
      throw new GraphError(ErrorCode.ApiService, { details: 'Meta answered the template list with an unexpected body.', http: 502 });
    }
    for (const node of body.data) {
      const t = readMetaTemplate(node);
      if (t) out.push(t);
    }
    const paging = body.paging as { next?: unknown; cursors?: { after?: unknown } } | undefined;
    after = typeof paging?.cursors?.after === 'string' ? paging.cursors.after : undefined;
    if (!paging?.next || !after) return out;
  }
  return out;
}

async function wabaOwner(ctx: PlatformContext, wabaId: string): Promise<{ tenantId: string; token: string } | undefined> {
  const [row] = await ctx.sql<{ tenant_id: string }[]>`select tenant_id from wabas where id = ${wabaId}`;
  const token = row ? await wabaToken(ctx, wabaId) : undefined;
  return row && token ? { tenantId: row.tenant_id, token } : undefined;
}

async function versionsOf(ctx: PlatformContext, wabaId: string, key?: { name: string; language: string }): Promise<Map<string, number>> {
  const rows = await ctx.sql<{ id: string; version: number }[]>`
    select id, version from templates
    where waba_id = ${wabaId} ${key ? ctx.sql`and name = ${key.name} and language = ${key.language}` : ctx.sql``}`;
  return new Map(rows.map((r) => [r.id, r.version]));
}

/** Reads every template of the WABA from Meta and makes the local copy match; records the sync. */
export async function syncWabaTemplates(ctx: PlatformContext, wabaId: string): Promise<WabaSyncResult> {
  const owner = await wabaOwner(ctx, wabaId);
  if (!owner) throw unknownObject(wabaId, 'post');
  const versionsBefore = await versionsOf(ctx, wabaId);
  let templates: MetaTemplate[];
  try {
    templates = await readPages(ctx, wabaId, owner.token, {});
  } catch (err) {
    const now = new Date(ctx.clock.now());
    await ctx.sql`
      insert into template_syncs (waba_id, next_sync_at, last_error) values (${wabaId}, ${new Date(now.getTime() + RECONCILE_INTERVAL_MS)}, ${String(err instanceof Error ? err.message : err)})
      on conflict (waba_id) do update set last_error = excluded.last_error`;
    throw err;
  }
  const now = new Date(ctx.clock.now());
  const result = await ctx.sql.begin(async (tx) => {
    const stored = await storeMetaTemplates(tx, { tenantId: owner.tenantId, wabaId, templates, scope: { kind: 'waba' }, versionsBefore, now });
    await tx`
      insert into template_syncs (waba_id, next_sync_at, synced_at) values (${wabaId}, ${new Date(now.getTime() + RECONCILE_INTERVAL_MS)}, ${now})
      on conflict (waba_id) do update set next_sync_at = excluded.next_sync_at, synced_at = excluded.synced_at, last_error = null`;
    return stored;
  });
  return { waba_id: wabaId, templates: templates.length, ...result };
}

/** Re-reads the templates of one name and language of the WABA (the send path's confirmation). */
export async function refreshTemplate(ctx: PlatformContext, wabaId: string, name: string, language: string): Promise<void> {
  const owner = await wabaOwner(ctx, wabaId);
  if (!owner) return;
  const key = { name, language };
  const versionsBefore = await versionsOf(ctx, wabaId, key);
  const templates = await readPages(ctx, wabaId, owner.token, { name, language });
  const now = new Date(ctx.clock.now());
  await ctx.sql.begin((tx) =>
    storeMetaTemplates(tx, { tenantId: owner.tenantId, wabaId, templates, scope: { kind: 'key', ...key }, versionsBefore, now }),
  );
}
