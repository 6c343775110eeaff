/**
 * `POST /{template-id}` (an edit) through the platform: checked against the local copy with
 * Meta's rules (wire's validateTemplateEdit: editable status, name and language fixed, an approved
 * template keeps its category and may be edited 10 times in 30 days and once in 24 h) before it
 * is forwarded. Once Meta takes it, the copy gets the new definition, and goes back to PENDING
 * when what was reviewed changed (components, category or parameter format), as at Meta.
 */
import { validateTemplateEdit, type TemplateDefinition, type TemplateStatus } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { emitTemplateChange } from './template-events.js';
import { stateOf, type TemplateRow } from './template-row.js';
import { refreshTemplate } from './sync-templates.js';

export interface TemplateOwner {
  tenantId: string;
  wabaId: string;
  templateId: string;
  token: string;
}

function definitionOf(row: TemplateRow): TemplateDefinition {
  return {
    name: row.name,
    language: row.language,
    category: row.category as TemplateDefinition['category'],
    parameter_format: row.parameter_format === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    components: row.components as TemplateDefinition['components'],
    ...(row.message_send_ttl_seconds !== null ? { message_send_ttl_seconds: row.message_send_ttl_seconds } : {}),
  };
}

async function localCopy(ctx: PlatformContext, owner: TemplateOwner): Promise<TemplateRow | undefined> {
  const [row] = await ctx.sql<TemplateRow[]>`select * from templates where id = ${owner.templateId} and tenant_id = ${owner.tenantId}`;
  return row;
}

export async function editTemplate(ctx: PlatformContext, owner: TemplateOwner, body: unknown): Promise<Record<string, unknown>> {
  let row = await localCopy(ctx, owner);
  if (!row || row.stale) {
    // Not known here yet, or changed elsewhere: read it first, so the edit is checked against Meta's version.
    const [known] = await ctx.sql<{ name: string; language: string }[]>`select name, language from templates where id = ${owner.templateId}`;
    const node = known ?? (await ctx.graph.call('GET', owner.templateId, { token: owner.token, query: { fields: 'name,language' } }));
    if (typeof node.name === 'string' && typeof node.language === 'string') await refreshTemplate(ctx, owner.wabaId, node.name, node.language);
    row = await localCopy(ctx, owner);
  }
  if (!row) return ctx.graph.call('POST', owner.templateId, { token: owner.token, json: body });

  const now = ctx.clock.now();
  const before = definitionOf(row);
  const next = validateTemplateEdit(
    { definition: before, status: row.status as TemplateStatus, approvedEdits: row.approved_edits.map((d) => d.getTime()) },
    body,
    now,
  );
  const answer = await ctx.graph.call('POST', owner.templateId, { token: owner.token, json: body });

  const componentsChanged = JSON.stringify(next.components) !== JSON.stringify(before.components);
  const reReviewed = componentsChanged || next.category !== before.category || next.parameter_format !== before.parameter_format;
  const at = new Date(now);
  await ctx.sql.begin(async (tx) => {
    const [current] = await tx<TemplateRow[]>`select * from templates where id = ${owner.templateId} for update`;
    if (!current) return;
    const [after] = await tx<TemplateRow[]>`
      update templates set
        category = ${next.category}, parameter_format = ${next.parameter_format}, components = ${tx.json(next.components as never)},
        message_send_ttl_seconds = ${next.message_send_ttl_seconds ?? null},
        approved_edits = ${current.status === 'APPROVED' ? tx`array_append(approved_edits, ${at}::timestamptz)` : tx`approved_edits`},
        ${reReviewed ? tx`status = 'PENDING', rejected_reason = 'NONE', rejection_info = null, pause_reason = null, paused_until = null,` : tx``}
        version = version + 1, updated_at = ${at}
      where id = ${owner.templateId}
      returning *`;
    await emitTemplateChange(tx, {
      kind: 'edited',
      source: 'api',
      tenantId: owner.tenantId,
      wabaId: owner.wabaId,
      templateId: owner.templateId,
      name: current.name,
      language: current.language,
      previous: stateOf(current),
      current: stateOf(after!),
      at,
    });
  });
  return answer;
}
