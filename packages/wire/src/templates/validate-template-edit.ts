/**
 * Validates an edit (`POST /{template-id}`) against the stored template (reference §1.3): only
 * APPROVED, REJECTED or PAUSED templates can be edited; the components are replaced wholesale;
 * name and language never change; an approved template keeps its category and may be edited at
 * most 10 times in 30 days and once in 24 hours. Returns the new definition or throws Meta's error.
 */
import { TemplateLimits } from './template-limits.js';
import { ProblemList, templateProblemError } from './template-problem.js';
import type { TemplateDefinition, TemplateStatus } from './template-types.js';
import { isRecord, upper } from './request-values.js';
import { checkTemplateRequest } from './validate-template-request.js';

export interface EditableTemplate {
  definition: TemplateDefinition;
  status: TemplateStatus;
  /** When previous edits of this template were made while it was APPROVED (ms). */
  approvedEdits: readonly number[];
}

const EDITABLE: readonly TemplateStatus[] = ['APPROVED', 'REJECTED', 'PAUSED'];
const EDIT_FIELDS = ['category', 'components', 'message_send_ttl_seconds', 'parameter_format', 'cta_url_link_tracking_opted_out'];

export function validateTemplateEdit(current: EditableTemplate, input: unknown, now: number): TemplateDefinition {
  const problems = new ProblemList();
  const fail = (): never => {
    throw templateProblemError(problems.items[0] ?? { path: '', title: 'Invalid edit', message: 'The edit is not valid.' });
  };
  if (!isRecord(input)) {
    problems.add('', 'Invalid request', 'An edit is an object with category, components or message_send_ttl_seconds.');
    return fail();
  }
  const { definition, status } = current;
  if (!EDITABLE.includes(status)) {
    problems.add('', "Template can't be edited", `Only APPROVED, REJECTED or PAUSED templates can be edited; this one is ${status}.`);
  }
  for (const field of ['name', 'language'] as const) {
    if (input[field] !== undefined && input[field] !== definition[field]) {
      problems.add(field, "Template can't be edited", `A template's ${field} can't be changed; create a new template instead.`);
    }
  }
  if (!EDIT_FIELDS.some((f) => input[f] !== undefined)) {
    problems.add('', 'Nothing to edit', 'Give category, components or message_send_ttl_seconds to edit.');
  }
  if (status === 'APPROVED') {
    const category = upper(input.category);
    if (category !== undefined && category !== definition.category) {
      problems.add('category', "Category can't be changed", "The category of an approved template can't be changed.");
    }
    const recent = current.approvedEdits.filter((t) => now - t < TemplateLimits.approvedEditWindowMs);
    const last = Math.max(-Infinity, ...recent);
    if (recent.length >= TemplateLimits.approvedEditsPerWindow) {
      problems.add('', 'Edit limit reached', `An approved template can be edited ${TemplateLimits.approvedEditsPerWindow} times in 30 days; try again later.`);
    } else if (now - last < TemplateLimits.approvedEditMinIntervalMs) {
      problems.add('', 'Edit limit reached', 'An approved template can be edited once in 24 hours; try again later.');
    }
  }
  if (!problems.empty) return fail();

  const merged = {
    name: definition.name,
    language: definition.language,
    category: input.category ?? definition.category,
    parameter_format: input.parameter_format ?? definition.parameter_format,
    components: input.components ?? definition.components,
    message_send_ttl_seconds: input.message_send_ttl_seconds ?? definition.message_send_ttl_seconds,
    cta_url_link_tracking_opted_out: input.cta_url_link_tracking_opted_out ?? definition.cta_url_link_tracking_opted_out,
  };
  const result = checkTemplateRequest(merged);
  if (!result.ok) {
    problems.items.push(...result.problems);
    return fail();
  }
  return result.template;
}
