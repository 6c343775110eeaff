/**
 * The template node as the Graph API returns it (reference §1.3): `fields` selects among the
 * node's fields, `id` is always there, fields without a value are left out, an unknown field is
 * Meta's 100 error.
 */
import { ErrorCode, GraphError } from '@switchboard/wire';
import type { Template } from './template.js';

type Presenter = (t: Template) => unknown;

const FIELDS: Record<string, Presenter> = {
  id: (t) => t.id,
  name: (t) => t.name,
  language: (t) => t.language,
  status: (t) => t.status,
  category: (t) => t.category,
  previous_category: (t) => t.previousCategory,
  correct_category: (t) => t.correctCategory,
  sub_category: () => undefined,
  components: (t) => t.components,
  parameter_format: (t) => t.parameterFormat,
  quality_score: (t) => ({ score: t.qualityScore, date: Math.floor((t.qualityUpdatedAt ?? t.createdAt) / 1000) }),
  rejected_reason: (t) => t.rejectedReason || 'NONE',
  message_send_ttl_seconds: (t) => t.messageSendTtlSeconds,
  cta_url_link_tracking_opted_out: (t) => t.ctaUrlLinkTrackingOptedOut,
  library_template_name: () => undefined,
};

export const DEFAULT_TEMPLATE_FIELDS = ['name', 'parameter_format', 'components', 'language', 'status', 'category', 'id'];

/** Parses `fields=a,b,quality_score{score}`; sub-selections are accepted and ignored. */
export function parseTemplateFields(raw: unknown): string[] {
  if (raw === undefined || raw === '') return DEFAULT_TEMPLATE_FIELDS;
  if (typeof raw !== 'string') throw new GraphError(ErrorCode.InvalidParameter, { details: 'fields must be a comma-separated list.' });
  const fields: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of raw) {
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && ch === ',') {
      fields.push(current.trim());
      current = '';
    } else if (depth === 0) current += ch;
  }
  fields.push(current.trim());
  const wanted = fields.filter((f) => f !== '');
  for (const field of wanted) {
    if (!(field in FIELDS)) {
      throw new GraphError(ErrorCode.InvalidParameter, {
        message: `(#100) Tried accessing nonexisting field (${field}) on node type (WhatsAppBusinessHSM)`,
        details: `Unknown field ${field}; template fields are ${Object.keys(FIELDS).join(', ')}.`,
      });
    }
  }
  return wanted;
}

export function presentTemplate(t: Template, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = FIELDS[field]?.(t);
    if (value !== undefined) out[field] = value;
  }
  out.id = t.id;
  return out;
}
