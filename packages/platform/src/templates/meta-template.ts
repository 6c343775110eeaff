/**
 * A template node as Meta's Graph API returns it (`GET /{waba-id}/message_templates`,
 * `GET /{template-id}`), read defensively: what is not in Meta's shape is left out rather than
 * trusted, and a node without an id, name, language, status or category is not a template.
 */
export interface MetaTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  correctCategory: string | null;
  parameterFormat: string;
  components: unknown[];
  qualityScore: string | null;
  rejectedReason: string | null;
  messageSendTtlSeconds: number | null;
}

/** The fields the platform asks Meta for: everything a send check and the template API show. */
export const TEMPLATE_FIELDS =
  'id,name,language,status,category,correct_category,components,parameter_format,quality_score,rejected_reason,message_send_ttl_seconds';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function readMetaTemplate(node: unknown): MetaTemplate | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as Record<string, unknown>;
  const id = typeof n.id === 'number' ? String(n.id) : text(n.id);
  const name = text(n.name);
  const language = text(n.language);
  const status = text(n.status);
  const category = text(n.category);
  if (!id || !/^\d{1,20}$/.test(id) || !name || !language || !status || !category) return undefined;
  const quality = n.quality_score;
  const score = typeof quality === 'string' ? quality : text((quality as { score?: unknown } | null | undefined)?.score);
  return {
    id,
    name,
    language,
    status: status.toUpperCase(),
    category: category.toUpperCase(),
    correctCategory: text(n.correct_category)?.toUpperCase() ?? null,
    parameterFormat: text(n.parameter_format)?.toUpperCase() ?? 'POSITIONAL',
    components: Array.isArray(n.components) ? n.components : [],
    qualityScore: score ?? null,
    rejectedReason: text(n.rejected_reason) ?? null,
    messageSendTtlSeconds: typeof n.message_send_ttl_seconds === 'number' ? n.message_send_ttl_seconds : null,
  };
}
