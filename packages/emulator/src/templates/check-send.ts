/**
 * Checks the `template` object of a send against the stored template (owned by the templates
 * module): exists in that language, sendable status, parameters matching the components.
 * Throws a GraphError with Meta's 132xxx code; returns what the messaging module needs.
 */
import { ErrorCode, GraphError } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { PhoneNumber } from '../state/types.js';
import type { Template } from './template.js';

export interface CheckedTemplate {
  template: Template;
  /** Pricing category of the send: "marketing", "utility" or "authentication". */
  category: 'marketing' | 'utility' | 'authentication';
}

export function checkTemplateSend(ctx: EmulatorContext, phone: PhoneNumber, payload: unknown): CheckedTemplate {
  const body = (payload ?? {}) as { name?: unknown; language?: { code?: unknown } };
  const template = [...ctx.state.templates.values()].find(
    (t) => t.wabaId === phone.wabaId && t.name === body.name && t.language === body.language?.code,
  );
  if (!template || template.status !== 'APPROVED') {
    throw new GraphError(ErrorCode.TemplateDoesNotExist, { details: `template name (${String(body.name)}) does not exist in ${String(body.language?.code)}` });
  }
  return { template, category: template.category.toLowerCase() as CheckedTemplate['category'] };
}
