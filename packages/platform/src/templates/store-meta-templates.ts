/**
 * Makes the local copy match what Meta just described (a WABA's whole list, or the templates of
 * one name and language). Rows are locked for the write; a row whose version moved since the read
 * began (a webhook was applied meanwhile) is left as it is, because the webhook may be newer than
 * the read. Templates Meta no longer lists are deleted. Every change is announced to
 * onTemplateChange listeners in the same transaction.
 */
import type { TransactionSql } from 'postgres';
import { emitTemplateChange, type TemplateChangeKind } from './template-events.js';
import type { MetaTemplate } from './meta-template.js';
import { stateOf, type TemplateRow } from './template-row.js';

export interface MetaTemplatesInput {
  tenantId: string;
  wabaId: string;
  templates: MetaTemplate[];
  /** Which local rows the read covers: the whole WABA, or one name and language. */
  scope: { kind: 'waba' } | { kind: 'key'; name: string; language: string };
  /** Local versions when the read began (id → version). */
  versionsBefore: ReadonlyMap<string, number>;
  now: Date;
}

export interface MetaTemplatesResult {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
}

function changedKinds(row: TemplateRow, t: MetaTemplate): TemplateChangeKind[] {
  const kinds: TemplateChangeKind[] = [];
  if (row.status !== t.status || row.rejected_reason !== t.rejectedReason) kinds.push('status');
  if (row.quality_score !== t.qualityScore) kinds.push('quality');
  if (row.category !== t.category || row.correct_category !== t.correctCategory) kinds.push('category');
  if (
    JSON.stringify(row.components) !== JSON.stringify(t.components) ||
    row.parameter_format !== t.parameterFormat ||
    row.message_send_ttl_seconds !== t.messageSendTtlSeconds
  ) {
    kinds.push('components');
  }
  return kinds;
}

export async function storeMetaTemplates(tx: TransactionSql, input: MetaTemplatesInput): Promise<MetaTemplatesResult> {
  const { tenantId, wabaId, now, versionsBefore } = input;
  const scope = input.scope;
  const local = await tx<TemplateRow[]>`
    select * from templates
    where waba_id = ${wabaId} ${scope.kind === 'key' ? tx`and name = ${scope.name} and language = ${scope.language}` : tx``}
    for update`;
  const byId = new Map(local.map((r) => [r.id, r]));
  // A row moved by someone else since the read began: the read may be older than that change.
  const untouched = (row: TemplateRow) => versionsBefore.get(row.id) === row.version;
  const result: MetaTemplatesResult = { added: 0, updated: 0, removed: 0, unchanged: 0 };
  const seen = new Set<string>();
  const announce = (kind: TemplateChangeKind, before: TemplateRow | undefined, after: TemplateRow | undefined) =>
    emitTemplateChange(tx, {
      kind,
      source: 'sync',
      tenantId,
      wabaId,
      templateId: (after ?? before)!.id,
      name: (after ?? before)!.name,
      language: (after ?? before)!.language,
      previous: before ? stateOf(before) : null,
      current: after ? stateOf(after) : null,
      at: now,
    });

  for (const t of input.templates) {
    if (scope.kind === 'key' && (t.name !== scope.name || t.language !== scope.language)) continue;
    seen.add(t.id);
    const row = byId.get(t.id);
    if (row) {
      if (!untouched(row) && versionsBefore.has(row.id)) continue;
      const kinds = changedKinds(row, t);
      if (kinds.length === 0) {
        await tx`update templates set read_at = ${now}, stale = false where id = ${t.id}`;
        result.unchanged++;
        continue;
      }
      const [after] = await tx<TemplateRow[]>`
        update templates set
          name = ${t.name}, language = ${t.language},
          previous_category = ${row.category !== t.category ? row.category : row.previous_category},
          category = ${t.category}, correct_category = ${t.correctCategory},
          category_change_at = ${t.correctCategory ? row.category_change_at : null},
          parameter_format = ${t.parameterFormat}, components = ${tx.json(t.components as never)},
          message_send_ttl_seconds = ${t.messageSendTtlSeconds},
          status = ${t.status}, rejected_reason = ${t.rejectedReason},
          rejection_info = ${t.status === 'REJECTED' && row.rejection_info ? tx.json(row.rejection_info) : null},
          quality_score = ${t.qualityScore},
          pause_reason = ${t.status === 'PAUSED' ? row.pause_reason : null},
          paused_until = ${t.status === 'PAUSED' ? row.paused_until : null},
          stale = false, version = version + 1, read_at = ${now}, updated_at = ${now}
        where id = ${t.id}
        returning *`;
      result.updated++;
      for (const kind of kinds) await announce(kind, row, after);
      continue;
    }
    // Same name and language under another id: deleted and created again at Meta.
    const replaced = local.find((r) => r.name === t.name && r.language === t.language && r.id !== t.id && !seen.has(r.id));
    if (replaced) {
      await tx`delete from templates where id = ${replaced.id}`;
      byId.delete(replaced.id);
      result.removed++;
      await announce('deleted', replaced, undefined);
    }
    const [inserted] = await tx<TemplateRow[]>`
      insert into templates (id, tenant_id, waba_id, name, language, category, correct_category, parameter_format, components,
                             message_send_ttl_seconds, status, rejected_reason, quality_score, read_at, created_at, updated_at)
      values (${t.id}, ${tenantId}, ${wabaId}, ${t.name}, ${t.language}, ${t.category}, ${t.correctCategory}, ${t.parameterFormat},
              ${tx.json(t.components as never)}, ${t.messageSendTtlSeconds}, ${t.status}, ${t.rejectedReason}, ${t.qualityScore},
              ${now}, ${now}, ${now})
      on conflict do nothing
      returning *`;
    if (inserted) {
      result.added++;
      await announce('created', undefined, inserted);
    }
  }

  // Listed before, not any more: deleted at Meta (a missed DELETED webhook).
  for (const row of byId.values()) {
    if (seen.has(row.id) || !untouched(row)) continue;
    await tx`delete from templates where id = ${row.id}`;
    result.removed++;
    await announce('deleted', row, undefined);
  }
  return result;
}
