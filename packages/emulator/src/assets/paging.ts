/**
 * Cursor pagination as Graph edges answer it: `{data, paging:{cursors:{before, after}, next?,
 * previous?}}`. Cursors are opaque (base64url of the item id); `limit` defaults to 25 and is capped
 * at 100; `next`/`previous` repeat the caller's query with the new cursor.
 */
import type { FastifyRequest } from 'fastify';
import { invalidParameter } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';

export const DEFAULT_PAGE = 25;
export const MAX_PAGE = 100;

export interface Page<T> {
  data: T[];
  paging?: { cursors: { before: string; after: string }; next?: string; previous?: string };
}

const encode = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
const decode = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

export function paginate<T, R>(
  ctx: EmulatorContext,
  request: FastifyRequest,
  items: T[],
  idOf: (item: T) => string,
  render: (item: T) => R,
): Page<R> {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const limitRaw = query.limit ?? DEFAULT_PAGE;
  const limit = Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1) throw invalidParameter('Param limit must be a positive integer.');
  const size = Math.min(limit, MAX_PAGE);
  let start = 0;
  let end = items.length;
  if (typeof query.after === 'string') {
    const at = items.findIndex((item) => idOf(item) === decode(query.after as string));
    start = at === -1 ? items.length : at + 1;
    end = Math.min(items.length, start + size);
  } else if (typeof query.before === 'string') {
    const at = items.findIndex((item) => idOf(item) === decode(query.before as string));
    end = at === -1 ? 0 : at;
    start = Math.max(0, end - size);
  } else {
    end = Math.min(items.length, size);
  }
  const slice = items.slice(start, end);
  const first = slice[0];
  const last = slice[slice.length - 1];
  if (first === undefined || last === undefined) return { data: [] };
  const page: Page<R> = {
    data: slice.map(render),
    paging: { cursors: { before: encode(idOf(first)), after: encode(idOf(last)) } },
  };
  const link = (key: 'after' | 'before', cursor: string) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (k !== 'after' && k !== 'before' && typeof v === 'string') params.set(k, v);
    params.set('limit', String(size));
    params.set(key, cursor);
    const path = request.url.split('?')[0] ?? '';
    return `${ctx.baseUrl()}${request.graphVersion ? `/${request.graphVersion}` : ''}${path}?${params.toString()}`;
  };
  if (end < items.length && page.paging) page.paging.next = link('after', encode(idOf(last)));
  if (start > 0 && page.paging) page.paging.previous = link('before', encode(idOf(first)));
  return page;
}
