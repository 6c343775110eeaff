/**
 * Checks the `template` object of a send against the stored template (owned by the templates
 * module): exists in that language (132001), sendable status (132015 paused, 132016 disabled),
 * parameters matching the components (132000, 132012, 132005, 132007 — wire's pure checks).
 * Throws a GraphError with Meta's code; returns what the messaging module needs. Called on every
 * template send, so the lookup is O(1) and each definition is compiled once.
 */
import {
  checkTemplateParameters,
  checkTemplateSendable,
  compileTemplateSpec,
  parseTemplateReference,
  templateNotFound,
  type HydratedTemplate,
  type TemplateSendSpec,
} from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { PhoneNumber } from '../state/types.js';
import type { Template } from './template.js';

export interface CheckedTemplate {
  template: Template;
  /** Pricing category of the send: "marketing", "utility" or "authentication". */
  category: 'marketing' | 'utility' | 'authentication';
  /** The message as the user sees it: header, body and button URLs with the parameters filled in. */
  hydrated: HydratedTemplate;
}

interface CachedSpec {
  components: Template['components'];
  category: string;
  format: string;
  spec: TemplateSendSpec;
}

// Keyed by the template object; an edit replaces `components`, which invalidates the entry.
const specs = new WeakMap<Template, CachedSpec>();

function specOf(t: Template): TemplateSendSpec {
  const cached = specs.get(t);
  if (cached && cached.components === t.components && cached.category === t.category && cached.format === t.parameterFormat) return cached.spec;
  const spec = compileTemplateSpec({ category: t.category, parameter_format: t.parameterFormat, components: t.components });
  specs.set(t, { components: t.components, category: t.category, format: t.parameterFormat, spec });
  return spec;
}

/** The template with this name and language in the WABA, in O(1) (the store keeps the index). */
export function findTemplate(ctx: EmulatorContext, wabaId: string, name: string, language: string): Template | undefined {
  return ctx.state.templates.find(wabaId, name, language);
}

export function checkTemplateSend(ctx: EmulatorContext, phone: PhoneNumber, payload: unknown): CheckedTemplate {
  const ref = parseTemplateReference(payload);
  const template = findTemplate(ctx, phone.wabaId, ref.name, ref.language);
  if (!template) throw templateNotFound(ref.name, ref.language);
  checkTemplateSendable(template);
  const hydrated = checkTemplateParameters(specOf(template), ref.components);
  return { template, category: template.category.toLowerCase() as CheckedTemplate['category'], hydrated };
}
