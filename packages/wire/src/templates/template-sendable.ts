/**
 * Whether a template may be sent at all, before its parameters are looked at (reference §1.1.2,
 * §5.1): only APPROVED templates are sent; PAUSED is 132015, DISABLED 132016, anything else — and
 * a name or language that does not exist — 132001.
 */
import { ErrorCode } from '../errors/catalogue.js';
import { GraphError } from '../errors/graph-error.js';
import { isRecord } from './request-values.js';

export interface TemplateReference {
  name: string;
  language: string;
  components: unknown;
}

/** Reads name, language.code and components from a send's `template` object. */
export function parseTemplateReference(template: unknown): TemplateReference {
  if (!isRecord(template)) throw new GraphError(ErrorCode.RequiredParameterMissing, { details: 'template is required for type template' });
  if (typeof template.name !== 'string' || template.name === '') {
    throw new GraphError(ErrorCode.RequiredParameterMissing, { details: 'template.name is required' });
  }
  const language = template.language;
  if (!isRecord(language) || typeof language.code !== 'string' || language.code === '') {
    throw new GraphError(ErrorCode.RequiredParameterMissing, { details: 'template.language.code is required' });
  }
  return { name: template.name, language: language.code, components: template.components };
}

export function templateNotFound(name: string, language: string): GraphError {
  return new GraphError(ErrorCode.TemplateDoesNotExist, { details: `template name (${name}) does not exist in ${language}` });
}

export function checkTemplateSendable(template: { name: string; language: string; status: string }): void {
  switch (template.status) {
    case 'APPROVED':
      return;
    case 'PAUSED':
      throw new GraphError(ErrorCode.TemplatePaused, { details: `Template ${template.name} (${template.language}) is paused because of low quality` });
    case 'DISABLED':
      throw new GraphError(ErrorCode.TemplateDisabled, { details: `Template ${template.name} (${template.language}) is disabled after repeated low quality` });
    default:
      // Pending, rejected, deleted … are indistinguishable from missing for a sender.
      throw templateNotFound(template.name, template.language);
  }
}
