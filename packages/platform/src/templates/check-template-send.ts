/**
 * The template part of a send, checked against the local copy exactly as Meta (the emulator's
 * templates/check-send.ts) checks it, with wire's shared rules: the template exists in that
 * language (132001), may be sent (132015 paused, 132016 disabled, 132001 otherwise), and the
 * parameters match its components (132000, 132012, 132005, 132007, 131008, 131009).
 *
 * O(1) per send: one indexed lookup by WABA + name + language and a cached compiled spec.
 *
 * The copy is kept current by webhooks, the reconcile and manual syncs. Before the copy's word
 * refuses a send (no such template, not APPROVED, or marked stale) it is confirmed with Meta —
 * one read of that name and language, shared by concurrent sends and at most once a minute per
 * template — so a webhook still on its way never makes the platform refuse what Meta would send.
 * If Meta cannot be reached, the copy decides.
 */
import {
  checkTemplateParameters,
  checkTemplateSendable,
  parseTemplateReference,
  templateNotFound,
  type HydratedTemplate,
} from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { BatchLoader, loaderPerPool } from '../db/batch-loader.js';
import type { Sql } from '../db/connect.js';
import { refreshTemplate } from './sync-templates.js';
import { templateSpec } from './template-spec-cache.js';

export type TemplateCategory = 'marketing' | 'utility' | 'authentication';

export interface CheckedTemplate {
  id: string;
  name: string;
  language: string;
  version: number;
  /** Pricing category of the send (the template's category, lower case). */
  category: TemplateCategory;
  /** The template's own time to live for a message (message_send_ttl_seconds), when set. */
  ttlSeconds: number | null;
  hydrated: HydratedTemplate;
}

interface SendableRow {
  id: string;
  status: string;
  category: string;
  version: number;
  stale: boolean;
  ttl: number | null;
}

/** Clock time between two confirmations of the same template with Meta. */
export const CONFIRM_INTERVAL_MS = 60_000;

interface Confirmation {
  at: number;
  running?: Promise<void>;
}

const perContext = new WeakMap<PlatformContext, Map<string, Confirmation>>();

// Concurrent sends' lookups share one query (db/batch-loader.ts); every answer is read after the send arrived.
const rows = loaderPerPool(
  (sql: Sql) =>
    new BatchLoader<{ wabaId: string; name: string; language: string }, SendableRow | undefined>(
      (k) => `${k.wabaId}\u0000${k.name}\u0000${k.language}`,
      async (keys) => {
        const found = await sql<Array<SendableRow & { waba_id: string; name: string; language: string }>>`
          select t.id, t.status, t.category, t.version, t.stale, t.message_send_ttl_seconds as ttl, t.waba_id, t.name, t.language
          from unnest(${keys.map((k) => k.wabaId)}::text[], ${keys.map((k) => k.name)}::text[], ${keys.map((k) => k.language)}::text[]) as k(waba, name, language)
          join templates t on t.waba_id = k.waba and t.name = k.name and t.language = k.language`;
        return new Map(found.map((r) => [`${r.waba_id}\u0000${r.name}\u0000${r.language}`, { id: r.id, status: r.status, category: r.category, version: r.version, stale: r.stale, ttl: r.ttl }]));
      },
      undefined,
    ),
);

async function findRow(ctx: PlatformContext, wabaId: string, name: string, language: string): Promise<SendableRow | undefined> {
  return rows(ctx.sql).load({ wabaId, name, language });
}

/**
 * Re-reads the template from Meta unless that was done in the last minute; concurrent callers share
 * one read. Returns whether the caller should look at the local copy again: after a recent read it
 * should, since that read may have committed after the caller's first look.
 */
async function confirm(ctx: PlatformContext, wabaId: string, name: string, language: string): Promise<boolean> {
  let confirmations = perContext.get(ctx);
  if (!confirmations) perContext.set(ctx, (confirmations = new Map()));
  const key = `${wabaId}\u0000${name}\u0000${language}`;
  const now = ctx.clock.now();
  const last = confirmations.get(key);
  if (last?.running) {
    await last.running;
    return true;
  }
  if (last && now - last.at < CONFIRM_INTERVAL_MS) return true;
  if (confirmations.size > 50_000) confirmations.clear();
  const entry: Confirmation = { at: now };
  entry.running = refreshTemplate(ctx, wabaId, name, language)
    .catch((err: unknown) => ctx.logger.warn({ err, waba_id: wabaId, template: name, language }, 'could not confirm a template with Meta; the local copy decides'))
    .finally(() => delete entry.running);
  confirmations.set(key, entry);
  await entry.running;
  return true;
}

export async function checkTemplateSend(ctx: PlatformContext, wabaId: string, template: unknown): Promise<CheckedTemplate> {
  const ref = parseTemplateReference(template);
  let row = await findRow(ctx, wabaId, ref.name, ref.language);
  if ((!row || row.status !== 'APPROVED' || row.stale) && (await confirm(ctx, wabaId, ref.name, ref.language))) {
    row = await findRow(ctx, wabaId, ref.name, ref.language);
  }
  if (!row) throw templateNotFound(ref.name, ref.language);
  checkTemplateSendable({ name: ref.name, language: ref.language, status: row.status });
  const spec = await templateSpec(ctx, row.id, row.version);
  if (!spec) throw templateNotFound(ref.name, ref.language);
  const hydrated = checkTemplateParameters(spec, ref.components);
  return {
    id: row.id,
    name: ref.name,
    language: ref.language,
    version: row.version,
    category: row.category.toLowerCase() as TemplateCategory,
    ttlSeconds: row.ttl,
    hydrated,
  };
}
