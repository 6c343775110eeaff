/**
 * `POST /{waba-id}/message_templates` through the platform: checked with Meta's rules (wire's
 * validateTemplateRequest — the emulator runs the same) before anything is forwarded, so a
 * template Meta would refuse costs no call and changes nothing; then forwarded as the tenant sent
 * it, and Meta's answer (id, status, category) stored with the validated definition.
 */
import { validateTemplateRequest } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { emitTemplateChange } from './template-events.js';
import { stateOf, type TemplateRow } from './template-row.js';

export interface WabaOwner {
  tenantId: string;
  wabaId: string;
  token: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export async function createTemplate(ctx: PlatformContext, owner: WabaOwner, body: unknown): Promise<Record<string, unknown>> {
  const definition = validateTemplateRequest(body);
  const answer = await ctx.graph.call('POST', `${owner.wabaId}/message_templates`, { token: owner.token, json: body });
  const id = typeof answer.id === 'number' ? String(answer.id) : text(answer.id);
  if (!id || !/^\d{1,20}$/.test(id)) return answer;
  const now = new Date(ctx.clock.now());
  const status = text(answer.status)?.toUpperCase() ?? 'PENDING';
  const category = text(answer.category)?.toUpperCase() ?? definition.category;
  await ctx.sql.begin(async (tx) => {
    // A webhook or a sync may have stored it already (Meta can decide before it answers): theirs is as new.
    const [row] = await tx<TemplateRow[]>`
      insert into templates (id, tenant_id, waba_id, name, language, category, previous_category, parameter_format, components,
                             message_send_ttl_seconds, status, rejected_reason, quality_score, created_at, updated_at)
      values (${id}, ${owner.tenantId}, ${owner.wabaId}, ${definition.name}, ${definition.language}, ${category},
              ${category !== definition.category ? definition.category : null}, ${definition.parameter_format},
              ${tx.json(definition.components as never)}, ${definition.message_send_ttl_seconds ?? null}, ${status}, 'NONE', 'UNKNOWN', ${now}, ${now})
      on conflict do nothing
      returning *`;
    if (row) {
      await emitTemplateChange(tx, {
        kind: 'created',
        source: 'api',
        tenantId: owner.tenantId,
        wabaId: owner.wabaId,
        templateId: id,
        name: row.name,
        language: row.language,
        previous: null,
        current: stateOf(row),
        at: now,
      });
    }
  });
  return answer;
}
