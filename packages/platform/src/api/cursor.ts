/**
 * Keyset-pagination cursors. A cursor holds the sort key of the last item of a page; it is
 * opaque to callers (base64url of a JSON array of strings) so the key can change without breaking
 * them. A cursor that does not decode is bad input (code 100), never a database error.
 */
import { invalidParameter } from '@switchboard/wire';

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key of a cursor with `length` parts, each matching `part`; undefined when there is none. */
export function decodeCursor(cursor: string | undefined, length: number, part: RegExp = /^.{1,200}$/s): string[] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== length || !key.every((k) => typeof k === 'string' && part.test(k))) {
    throw invalidParameter('Param before is not a cursor this API returned (use paging.before from the previous page).');
  }
  return key as string[];
}

/** paging.before for a page fetched with one extra row: the cursor of its last item, or null. */
export function nextCursor<T>(rows: T[], limit: number, keyOf: (row: T) => string[]): { rows: T[]; before: string | null } {
  if (rows.length <= limit) return { rows, before: null };
  const page = rows.slice(0, limit);
  return { rows: page, before: encodeCursor(keyOf(page[page.length - 1]!)) };
}
