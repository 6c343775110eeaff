/**
 * Template webhooks from Meta applied to the local copy, inside the inbound processor's
 * transaction and before the event is forwarded to the tenant (reference §2.5):
 * - message_template_status_update: status, rejection reason and info, pauses (3 h the first time,
 *   6 h the second; a pacing pause has no end), category when Meta states it; DELETED removes it;
 * - message_template_quality_update: the quality score;
 * - template_category_update: a change announced (correct_category, when) or done (category);
 * - message_template_components_update: the payload is a summary, not the definition, so the copy
 *   is marked stale and re-read from Meta (before the next send, and by the reconcile worker).
 * A webhook about a template the platform does not know makes its WABA due for a sync at once.
 */
import type { TransactionSql } from 'postgres';
import { TemplateLimits } from '@switchboard/wire';
import { emitTemplateChange, type TemplateChangeKind } from './template-events.js';
import { stateOf, type TemplateRow } from './template-row.js';

export const TEMPLATE_WEBHOOK_FIELDS: ReadonlySet<string> = new Set([
  'message_template_status_update',
  'message_template_quality_update',
  'template_category_update',
  'message_template_components_update',
]);

/** Wakes the reconcile worker (templates/reconcile-worker.ts). */
export const TEMPLATES_CHANNEL = 'switchboard_templates';

/** Webhook events that are a status of their own; the others leave the status as it is. */
const STATUS_EVENTS = new Set(['APPROVED', 'REJECTED', 'PENDING', 'PAUSED', 'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'ARCHIVED', 'LIMIT_EXCEEDED']);

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Template ids are integers in these payloads (strings elsewhere). */
function templateIdOf(value: Record<string, unknown>): string | undefined {
  const id = value.message_template_id;
  const s = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : text(id);
  return s && /^\d{1,20}$/.test(s) ? s : undefined;
}

interface Update {
  kind: TemplateChangeKind;
  set: Record<string, unknown>;
}

function pauseEnd(value: Record<string, unknown>, now: Date): { reason: string | null; until: Date | null } {
  const title = text((value.other_info as { title?: unknown } | undefined)?.title) ?? null;
  const duration = title === 'FIRST_PAUSE' ? TemplateLimits.pauseDurationsMs[0] : title === 'SECOND_PAUSE' ? TemplateLimits.pauseDurationsMs[1] : undefined;
  return { reason: title, until: duration === undefined ? null : new Date(now.getTime() + duration) };
}

/** What the webhook changes, or undefined when it changes nothing the copy holds. */
function updateFor(field: string, value: Record<string, unknown>, row: TemplateRow, now: Date): Update | 'delete' | 'stale' | undefined {
  switch (field) {
    case 'message_template_status_update': {
      const event = text(value.event)?.toUpperCase();
      if (event === 'DELETED') return 'delete';
      const status = event === 'REINSTATED' ? 'APPROVED' : event && STATUS_EVENTS.has(event) ? event : undefined;
      if (!status) return undefined;
      const category = text(value.message_template_category)?.toUpperCase();
      const reason = value.reason === null ? null : text(value.reason) ?? 'NONE';
      const pause = status === 'PAUSED' ? pauseEnd(value, now) : { reason: null, until: null };
      const info = value.rejection_info && typeof value.rejection_info === 'object' ? value.rejection_info : null;
      return {
        kind: 'status',
        set: {
          status,
          rejected_reason: reason,
          rejection_info: status === 'REJECTED' ? info : null,
          pause_reason: pause.reason,
          paused_until: pause.until,
          ...(category && category !== row.category ? { category, previous_category: row.category } : {}),
        },
      };
    }
    case 'message_template_quality_update': {
      const score = text(value.new_quality_score)?.toUpperCase();
      return score ? { kind: 'quality', set: { quality_score: score } } : undefined;
    }
    case 'template_category_update': {
      const next = text(value.new_category)?.toUpperCase();
      const correct = text(value.correct_category)?.toUpperCase();
      if (correct && correct !== next) {
        // Notice of a change to come: the template keeps its category until then.
        const when = Number(value.category_update_timestamp);
        return {
          kind: 'category',
          set: { correct_category: correct, category_change_at: Number.isFinite(when) && when > 0 ? new Date(when * 1000) : null },
        };
      }
      if (!next) return undefined;
      return {
        kind: 'category',
        set: {
          category: next,
          previous_category: text(value.previous_category)?.toUpperCase() ?? (next !== row.category ? row.category : row.previous_category),
          correct_category: null,
          category_change_at: null,
        },
      };
    }
    case 'message_template_components_update':
      return 'stale';
    default:
      return undefined;
  }
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

async function requestSync(tx: TransactionSql, wabaId: string, now: Date): Promise<void> {
  await tx`
    insert into template_syncs (waba_id, next_sync_at) values (${wabaId}, ${now})
    on conflict (waba_id) do update set next_sync_at = least(template_syncs.next_sync_at, excluded.next_sync_at)`;
  await tx`select pg_notify(${TEMPLATES_CHANNEL}, ${wabaId})`;
}

export async function applyTemplateWebhook(tx: TransactionSql, wabaId: string, field: string, value: Record<string, unknown>, now: Date): Promise<void> {
  if (!TEMPLATE_WEBHOOK_FIELDS.has(field)) return;
  const id = templateIdOf(value);
  if (!id) return;
  const [row] = await tx<TemplateRow[]>`select * from templates where id = ${id} and waba_id = ${wabaId} for update`;
  if (!row) {
    // Created elsewhere (WhatsApp Manager, another tool): read the WABA's list, unless it is going away.
    const event = text(value.event)?.toUpperCase();
    if (event !== 'DELETED') await requestSync(tx, wabaId, now);
    return;
  }
  const update = updateFor(field, value, row, now);
  if (!update) return;
  const change = { source: 'webhook' as const, tenantId: row.tenant_id, wabaId, templateId: id, name: row.name, language: row.language, webhook: { field, value }, at: now };
  if (update === 'delete') {
    await tx`delete from templates where id = ${id}`;
    await emitTemplateChange(tx, { ...change, kind: 'deleted', previous: stateOf(row), current: null });
    return;
  }
  if (update === 'stale') {
    const [after] = await tx<TemplateRow[]>`
      update templates set stale = true, version = version + 1, updated_at = ${now} where id = ${id} returning *`;
    await requestSync(tx, wabaId, now);
    await emitTemplateChange(tx, { ...change, kind: 'components', previous: stateOf(row), current: stateOf(after!) });
    return;
  }
  // A repeated webhook (Meta retries) changes nothing and announces nothing.
  if (Object.entries(update.set).every(([column, v]) => same(row[column as keyof TemplateRow], v))) return;
  const set = { ...update.set };
  if (set.rejection_info) set.rejection_info = tx.json(set.rejection_info as never);
  const [after] = await tx<TemplateRow[]>`
    update templates set ${tx(set as Record<string, never>)}, version = version + 1, updated_at = ${now}
    where id = ${id} returning *`;
  await emitTemplateChange(tx, { ...change, kind: update.kind, previous: stateOf(row), current: stateOf(after!) });
}
