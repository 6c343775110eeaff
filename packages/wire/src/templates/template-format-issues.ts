/**
 * Format problems Meta does not refuse at creation but rejects at review, with reason
 * INVALID_FORMAT and a `rejection_info` in the status webhook (reference §1.3: adjacent
 * variables such as "{{1}}{{2}}"). The platform can warn about them before submitting.
 */
import type { TemplateDefinition } from './template-types.js';
import { adjacentVariables, findVariables } from './template-variables.js';

export interface TemplateFormatIssue {
  reason: 'INVALID_FORMAT';
  /** rejection_info.reason */
  message: string;
  /** rejection_info.recommendation */
  recommendation: string;
}

export function templateFormatIssues(template: Pick<TemplateDefinition, 'components'>): TemplateFormatIssue[] {
  const issues: TemplateFormatIssue[] = [];
  for (const component of template.components) {
    if ((component.type !== 'BODY' && component.type !== 'HEADER') || typeof component.text !== 'string') continue;
    for (const [a, b] of adjacentVariables(component.text, findVariables(component.text))) {
      issues.push({
        reason: 'INVALID_FORMAT',
        message: `The ${component.type.toLowerCase()} has adjacent variables {{${a}}} and {{${b}}}.`,
        recommendation: 'Put words between variables so that each one has context.',
      });
    }
  }
  return issues;
}
