/**
 * Validates a template create request (`POST /{waba-id}/message_templates`) with Meta's rules and
 * returns the normalised definition, or every problem found. The emulator refuses with the first
 * problem, as Meta does; the platform runs the same check before forwarding a tenant's template.
 *
 * @example
 * const result = checkTemplateRequest({ name: 'order_update', language: 'en_US', category: 'UTILITY',
 *   components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped today.',
 *                  example: { body_text: [['Ana', 'A-17']] } }] });
 * if (!result.ok) console.log(result.problems[0]?.message);
 */
import { TemplateLimits } from './template-limits.js';
import { isTemplateLanguage } from './template-languages.js';
import { ProblemList, templateProblemError, type TemplateProblem } from './template-problem.js';
import {
  PARAMETER_FORMATS,
  TEMPLATE_CATEGORIES,
  type ParameterFormat,
  type TemplateCategory,
  type TemplateDefinition,
} from './template-types.js';
import { booleanish, integerish, isRecord, jsonish, upper } from './request-values.js';
import { validateComponents } from './validate-components.js';

export type TemplateRequestResult = { ok: true; template: TemplateDefinition } | { ok: false; problems: TemplateProblem[] };

export const TEMPLATE_NAME = /^[a-z0-9_]+$/;

export function checkTemplateRequest(input: unknown): TemplateRequestResult {
  const problems = new ProblemList();
  if (!isRecord(input)) {
    problems.add('', 'Invalid request', 'The request must be an object with name, language, category and components.');
    return { ok: false, problems: problems.items };
  }

  const name = input.name;
  if (name === undefined || name === '') problems.add('name', 'Missing template name', 'The parameter name is required.');
  else if (typeof name !== 'string' || !TEMPLATE_NAME.test(name)) {
    problems.add('name', 'Invalid template name', 'Template names may only contain lowercase letters, digits and underscores.');
  } else if (name.length > TemplateLimits.nameMaxLength) {
    problems.add('name', 'Template name too long', `Template names are at most ${TemplateLimits.nameMaxLength} characters.`, 2388040);
  }

  const language = input.language;
  if (language === undefined || language === '') problems.add('language', 'Missing language', 'The parameter language is required.');
  else if (!isTemplateLanguage(language)) {
    problems.add('language', 'Invalid language', `${typeof language === 'string' ? language : JSON.stringify(language)} is not a supported template language code (for example en_US, pt_BR, es).`);
  }

  const category = upper(input.category);
  if (category === undefined || category === '') problems.add('category', 'Missing category', 'The parameter category is required.');
  else if (!(TEMPLATE_CATEGORIES as readonly string[]).includes(category)) {
    problems.add('category', 'Invalid category', 'category must be MARKETING, UTILITY or AUTHENTICATION.');
  }

  const format = input.parameter_format === undefined ? 'POSITIONAL' : upper(input.parameter_format);
  if (!format || !(PARAMETER_FORMATS as readonly string[]).includes(format)) {
    problems.add('parameter_format', 'Invalid parameter format', 'parameter_format must be POSITIONAL or NAMED.');
  }

  const knownCategory = (TEMPLATE_CATEGORIES as readonly string[]).includes(category ?? '') ? (category as TemplateCategory) : undefined;
  const knownFormat = (PARAMETER_FORMATS as readonly string[]).includes(format ?? '') ? (format as ParameterFormat) : 'POSITIONAL';

  const components = validateComponents(jsonish(input.components), { category: knownCategory ?? 'UTILITY', format: knownFormat }, problems);

  let ttl: number | undefined;
  if (input.message_send_ttl_seconds !== undefined) {
    ttl = integerish(input.message_send_ttl_seconds);
    const range = TemplateLimits.ttlSeconds[knownCategory ?? 'UTILITY'];
    if (ttl === undefined || ((ttl < range.min || ttl > range.max) && ttl !== -1)) {
      problems.add(
        'message_send_ttl_seconds',
        'Invalid message TTL',
        `message_send_ttl_seconds for ${knownCategory ?? 'this'} templates must be between ${range.min} and ${range.max} seconds.`,
      );
    }
  }

  let tracking: boolean | undefined;
  if (input.cta_url_link_tracking_opted_out !== undefined) {
    tracking = booleanish(input.cta_url_link_tracking_opted_out);
    if (tracking === undefined) problems.add('cta_url_link_tracking_opted_out', 'Invalid parameter', 'cta_url_link_tracking_opted_out must be true or false.');
  }

  if (!problems.empty || !knownCategory || typeof name !== 'string' || typeof language !== 'string') {
    return { ok: false, problems: problems.items };
  }
  return {
    ok: true,
    template: {
      name,
      language,
      category: knownCategory,
      parameter_format: knownFormat,
      components,
      ...(ttl !== undefined ? { message_send_ttl_seconds: ttl } : {}),
      ...(tracking !== undefined ? { cta_url_link_tracking_opted_out: tracking } : {}),
    },
  };
}

/** Like checkTemplateRequest, but throws the first problem as Meta's error. */
export function validateTemplateRequest(input: unknown): TemplateDefinition {
  const result = checkTemplateRequest(input);
  if (result.ok) return result.template;
  const first = result.problems[0];
  throw templateProblemError(first ?? { path: '', title: 'Invalid request', message: 'The template request is not valid.' });
}
