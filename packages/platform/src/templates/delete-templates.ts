/**
 * `DELETE /{waba-id}/message_templates` through the platform: forwarded to Meta (which owns the
 * rules: DISABLED templates can't be deleted, names are blocked for 30 days), then the same
 * templates leave the local copy — every language of `name`, or the ids in `hsm_id` / `hsm_ids`.
 * Meta's DELETED webhooks would remove them too; this makes the copy right at once.
 */
import type { PlatformContext } from '../context.js';
import type { WabaOwner } from './create-template.js';
import { emitTemplateChange } from './template-events.js';
import { stateOf, type TemplateRow } from './template-row.js';

function idsOf(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw.split(',').map((s) => s.trim());
    }
  }
  const list = Array.isArray(value) ? value : [value];
  return list.map(String).filter((id) => /^\d{1,20}$/.test(id));
}

export async function deleteTemplates(ctx: PlatformContext, owner: WabaOwner, query: Record<string, string>): Promise<Record<string, unknown>> {
  const answer = await ctx.graph.call('DELETE', `${owner.wabaId}/message_templates`, { token: owner.token, query });
  const ids = idsOf(query.hsm_ids) ?? idsOf(query.hsm_id);
  const name = query.name;
  if (!ids && !name) return answer;
  const now = new Date(ctx.clock.now());
  await ctx.sql.begin(async (tx) => {
    const gone = await tx<TemplateRow[]>`
      delete from templates
      where waba_id = ${owner.wabaId} and tenant_id = ${owner.tenantId}
        ${ids ? tx`and id = any(${ids}::text[])` : tx`and name = ${name!}`}
      returning *`;
    for (const row of gone) {
      await emitTemplateChange(tx, {
        kind: 'deleted',
        source: 'api',
        tenantId: owner.tenantId,
        wabaId: owner.wabaId,
        templateId: row.id,
        name: row.name,
        language: row.language,
        previous: stateOf(row),
        current: null,
        at: now,
      });
    }
  });
  return answer;
}
