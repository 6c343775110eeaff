/**
 * `GET /{waba-id}/message_templates`: filters (name, status, category, language, each a value or
 * a comma-separated list), newest first, and Graph cursor paging
 * `{data, paging: {cursors: {before, after}, next?, previous?}}`.
 */
import { ErrorCode, GraphError, TEMPLATE_CATEGORIES, invalidParameter } from '@switchboard/wire';
import type { FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.js';
import type { Waba } from '../state/types.js';
import type { Template } from './template.js';
import { parseTemplateFields, presentTemplate } from './template-presenter.js';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 1_000;

const STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'DELETED', 'ARCHIVED', 'LIMIT_EXCEEDED'];

const encodeCursor = (seq: number) => Buffer.from(String(seq)).toString('base64url');

function decodeCursor(cursor: unknown, name: string): number {
  const decoded = typeof cursor === 'string' && /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '';
  if (!/^\d{1,15}$/.test(decoded)) throw invalidParameter(`The ${name} cursor is not valid.`);
  return Number(decoded);
}

function listFilter(query: Record<string, unknown>, name: string, allowed?: readonly string[]): Set<string> | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw invalidParameter(`${name} must be a string.`);
  const values = raw.split(',').map((v) => v.trim()).filter(Boolean);
  const normalised = allowed ? values.map((v) => v.toUpperCase()) : values;
  for (const v of normalised) {
    if (allowed && !allowed.includes(v)) {
      throw new GraphError(ErrorCode.InvalidParameter, { message: `(#100) Param ${name} must be one of {${allowed.join(', ')}}`, details: `Unknown ${name} ${v}.` });
    }
  }
  return new Set(normalised);
}

export function listTemplates(ctx: EmulatorContext, waba: Waba, request: FastifyRequest): { data: unknown[]; paging?: Record<string, unknown> } {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const fields = parseTemplateFields(query.fields);
  const names = listFilter(query, 'name');
  const statuses = listFilter(query, 'status', STATUSES);
  const categories = listFilter(query, 'category', TEMPLATE_CATEGORIES);
  const languages = listFilter(query, 'language');

  let limit = DEFAULT_PAGE_SIZE;
  if (query.limit !== undefined) {
    limit = Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1) throw invalidParameter('limit must be a positive integer.');
    limit = Math.min(limit, MAX_PAGE_SIZE);
  }

  const matching = ctx.state.templates
    .ofWaba(waba.id)
    .filter(
      (t) =>
        (!names || names.has(t.name)) &&
        (!statuses || statuses.has(t.status)) &&
        (!categories || categories.has(t.category)) &&
        (!languages || languages.has(t.language)),
    );

  // Newest first: "after" walks towards older templates (smaller seq), "before" towards newer.
  let page: Template[];
  if (query.after !== undefined) {
    const after = decodeCursor(query.after, 'after');
    page = matching.filter((t) => (t.seq ?? 0) < after).slice(0, limit);
  } else if (query.before !== undefined) {
    const before = decodeCursor(query.before, 'before');
    const newer = matching.filter((t) => (t.seq ?? 0) > before);
    page = newer.slice(Math.max(0, newer.length - limit));
  } else {
    page = matching.slice(0, limit);
  }

  const data = page.map((t) => presentTemplate(t, fields));
  const first = page[0];
  const last = page[page.length - 1];
  if (!first || !last) return { data };

  const hasOlder = matching.some((t) => (t.seq ?? 0) < (last.seq ?? 0));
  const hasNewer = matching.some((t) => (t.seq ?? 0) > (first.seq ?? 0));
  const link = (cursor: 'after' | 'before', seq: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (k !== 'after' && k !== 'before' && typeof v === 'string') params.set(k, v);
    params.set('limit', String(limit));
    params.set(cursor, encodeCursor(seq));
    return `${ctx.baseUrl()}/${request.graphVersion ?? 'v23.0'}/${waba.id}/message_templates?${params.toString()}`;
  };
  return {
    data,
    paging: {
      cursors: { before: encodeCursor(first.seq ?? 0), after: encodeCursor(last.seq ?? 0) },
      ...(hasOlder ? { next: link('after', last.seq ?? 0) } : {}),
      ...(hasNewer ? { previous: link('before', first.seq ?? 0) } : {}),
    },
  };
}
