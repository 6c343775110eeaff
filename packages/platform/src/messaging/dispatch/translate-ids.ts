/**
 * Tenants name their own messages by the platform's wamids; Meta knows them by its own. Before a
 * send leaves, `context.message_id` and a reaction's `message_id` that are platform ids of this
 * tenant are replaced by Meta's. Ids of inbound messages are Meta's already and pass unchanged.
 */
import type { Sql } from '../../db/connect.js';

interface Referencing {
  context?: { message_id?: unknown };
  reaction?: { message_id?: unknown };
}

function references(body: Referencing): string[] {
  const ids: string[] = [];
  if (typeof body.context?.message_id === 'string') ids.push(body.context.message_id);
  if (typeof body.reaction?.message_id === 'string') ids.push(body.reaction.message_id);
  return ids;
}

/** Returns the bodies with references translated (new objects; the stored bodies are untouched). */
export async function translateIds(sql: Sql, tenantId: string, bodies: Array<Record<string, unknown>>): Promise<Array<Record<string, unknown>>> {
  const wanted = [...new Set(bodies.flatMap((b) => references(b as Referencing)))];
  if (wanted.length === 0) return bodies;
  const rows = await sql<{ wamid: string; meta_wamid: string }[]>`
    select wamid, meta_wamid from messages
    where tenant_id = ${tenantId} and wamid = any(${wanted}::text[]) and meta_wamid is not null`;
  if (rows.length === 0) return bodies;
  const toMeta = new Map(rows.map((r) => [r.wamid, r.meta_wamid]));
  return bodies.map((body) => {
    const b = body as Referencing & Record<string, unknown>;
    const context = typeof b.context?.message_id === 'string' && toMeta.get(b.context.message_id);
    const reaction = typeof b.reaction?.message_id === 'string' && toMeta.get(b.reaction.message_id);
    if (!context && !reaction) return body;
    return {
      ...body,
      ...(context ? { context: { ...b.context, message_id: context } } : {}),
      ...(reaction ? { reaction: { ...b.reaction, message_id: reaction } } : {}),
    };
  });
}
