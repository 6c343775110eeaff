import { describe, expect, it } from 'vitest';
import { GraphError } from '../errors/graph-error.js';
import { templateFormatIssues } from './template-format-issues.js';
import type { TemplateDefinition } from './template-types.js';
import { validateTemplateEdit } from './validate-template-edit.js';

const HOUR = 3_600_000;
const definition: TemplateDefinition = {
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  parameter_format: 'POSITIONAL',
  components: [{ type: 'BODY', text: 'Your order has shipped today.' }],
};
const newBody = { components: [{ type: 'BODY', text: 'Your order is on its way today.' }] };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof GraphError) return err.userTitle ?? err.details ?? '';
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('template edit rules', () => {
  it('replaces the components and keeps name and language', () => {
    const next = validateTemplateEdit({ definition, status: 'REJECTED', approvedEdits: [] }, newBody, 0);
    expect(next).toMatchObject({ name: 'order_update', language: 'en_US', components: newBody.components });
  });

  it('edits APPROVED, REJECTED and PAUSED templates only', () => {
    for (const status of ['APPROVED', 'REJECTED', 'PAUSED'] as const) {
      expect(() => validateTemplateEdit({ definition, status, approvedEdits: [] }, newBody, 0)).not.toThrow();
    }
    for (const status of ['PENDING', 'DISABLED'] as const) {
      expect(refusal(() => validateTemplateEdit({ definition, status, approvedEdits: [] }, newBody, 0))).toBe("Template can't be edited");
    }
    expect(refusal(() => validateTemplateEdit({ definition, status: 'REJECTED', approvedEdits: [] }, { name: 'other' }, 0))).toBe("Template can't be edited");
  });

  it("keeps an approved template's category", () => {
    expect(refusal(() => validateTemplateEdit({ definition, status: 'APPROVED', approvedEdits: [] }, { category: 'MARKETING' }, 0))).toBe("Category can't be changed");
    expect(validateTemplateEdit({ definition, status: 'REJECTED', approvedEdits: [] }, { category: 'MARKETING' }, 0).category).toBe('MARKETING');
  });

  it('allows an approved template one edit per 24 h and 10 per 30 days', () => {
    const day = 24 * HOUR;
    const now = 100 * day;
    expect(refusal(() => validateTemplateEdit({ definition, status: 'APPROVED', approvedEdits: [now - day + 1] }, newBody, now))).toBe('Edit limit reached');
    expect(() => validateTemplateEdit({ definition, status: 'APPROVED', approvedEdits: [now - day] }, newBody, now)).not.toThrow();
    const nine = Array.from({ length: 9 }, (_, i) => now - (i + 2) * day);
    expect(() => validateTemplateEdit({ definition, status: 'APPROVED', approvedEdits: nine }, newBody, now)).not.toThrow();
    expect(refusal(() => validateTemplateEdit({ definition, status: 'APPROVED', approvedEdits: [...nine, now - 20 * day] }, newBody, now))).toBe('Edit limit reached');
    // Edits older than 30 days no longer count; rejected and paused templates have no limit.
    expect(() => validateTemplateEdit({ definition, status: 'APPROVED', approvedEdits: [...nine, now - 30 * day] }, newBody, now)).not.toThrow();
    expect(() => validateTemplateEdit({ definition, status: 'PAUSED', approvedEdits: [...nine, now - 1] }, newBody, now)).not.toThrow();
  });

  it('validates the new content with the creation rules', () => {
    expect(refusal(() => validateTemplateEdit({ definition, status: 'REJECTED', approvedEdits: [] }, { components: [{ type: 'FOOTER', text: 'x' }] }, 0))).toBe('Missing body');
  });
});

describe('format issues found at review', () => {
  it('flags adjacent variables', () => {
    const issues = templateFormatIssues({
      components: [{ type: 'BODY', text: 'Hello {{1}}{{2}} and welcome, {{3}} {{4}}, to the club.' }],
    });
    expect(issues.map((i) => i.message)).toEqual([
      'The body has adjacent variables {{1}} and {{2}}.',
      'The body has adjacent variables {{3}} and {{4}}.',
    ]);
    expect(templateFormatIssues({ components: [{ type: 'BODY', text: 'Hello {{1}}, meet {{2}} today.' }] })).toEqual([]);
  });
});
