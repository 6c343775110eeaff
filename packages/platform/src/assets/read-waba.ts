/**
 * What Meta knows of a WABA, read with the tenant's token: its name and every phone number (all
 * pages). Also subscribes the BSP's app to the WABA's webhooks. Meta's refusals of the token or
 * the WABA are the caller's bad input (code 100, Meta's words in the details); throttling and
 * outages keep Meta's own error so the caller knows to retry.
 */
import { ErrorCode, GRAPH_ID, GraphError } from '@switchboard/wire';
import type { GraphClient } from '../graph/graph-client.js';

export const DEFAULT_MPS = 80;
export const HIGH_MPS = 1000;
/** 100 numbers a page; 20 pages is far beyond any WABA's cap (tens of numbers). */
const PAGE_SIZE = 100;
const MAX_PAGES = 20;

const PHONE_FIELDS = 'id,display_phone_number,verified_name,quality_rating,status,throughput,messaging_limit_tier';

export interface MetaPhoneNumber {
  id: string;
  displayPhoneNumber: string;
  verifiedName: string | null;
  qualityRating: string | null;
  status: string | null;
  throughputLevel: string | null;
  messagingLimitTier: string | null;
  mps: number;
}

export interface MetaWaba {
  id: string;
  name: string | null;
  /** The business portfolio that owns the WABA (owner_business_info), whose messaging limit its numbers share. */
  businessId: string | null;
  numbers: MetaPhoneNumber[];
}

async function askMeta<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof GraphError && err.status < 500 && !err.retryable) {
      throw new GraphError(ErrorCode.InvalidParameter, {
        details: `Meta refused ${what}: ${err.message}${err.details ? ` — ${err.details}` : ''} (code ${err.code}).`,
        cause: err,
      });
    }
    throw err;
  }
}

function unexpected(what: string): GraphError {
  return new GraphError(ErrorCode.ApiService, { details: `Meta answered ${what} with an unexpected body.`, http: 502 });
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

function parseNumber(raw: unknown): MetaPhoneNumber {
  const p = (raw ?? {}) as Record<string, unknown>;
  if (typeof p.id !== 'string' || !GRAPH_ID.test(p.id)) throw unexpected('the phone number list');
  const throughput = (p.throughput ?? {}) as Record<string, unknown>;
  const level = text(throughput.level);
  return {
    id: p.id,
    displayPhoneNumber: text(p.display_phone_number) ?? '',
    verifiedName: text(p.verified_name),
    qualityRating: text(p.quality_rating),
    status: text(p.status),
    throughputLevel: level,
    messagingLimitTier: text(p.messaging_limit_tier),
    mps: level === 'HIGH' ? HIGH_MPS : DEFAULT_MPS,
  };
}

/** The WABA's name and numbers; also proves the token reaches the WABA. */
export async function readWaba(graph: GraphClient, wabaId: string, token: string): Promise<MetaWaba> {
  const waba = await askMeta(`WABA ${wabaId} with this access token`, () =>
    graph.call('GET', wabaId, { token, query: { fields: 'id,name,owner_business_info' } }),
  );
  if (waba.id !== wabaId) throw unexpected(`GET ${wabaId}`);
  const numbers: MetaPhoneNumber[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await askMeta(`the phone numbers of WABA ${wabaId}`, () =>
      graph.call('GET', `${wabaId}/phone_numbers`, { token, query: { fields: PHONE_FIELDS, limit: String(PAGE_SIZE), after } }),
    );
    if (!Array.isArray(body.data)) throw unexpected(`GET ${wabaId}/phone_numbers`);
    numbers.push(...body.data.map(parseNumber));
    const paging = (body.paging ?? {}) as { next?: unknown; cursors?: { after?: unknown } };
    if (typeof paging.next !== 'string' || typeof paging.cursors?.after !== 'string') break;
    after = paging.cursors.after;
  }
  const owner = (waba.owner_business_info ?? {}) as { id?: unknown };
  const businessId = typeof owner.id === 'string' && GRAPH_ID.test(owner.id) ? owner.id : null;
  return { id: wabaId, name: text(waba.name), businessId, numbers };
}

/** Subscribes the BSP's app (the token's app) to the WABA's webhooks; Meta answers {success:true}. */
export async function subscribeApp(graph: GraphClient, wabaId: string, token: string): Promise<void> {
  const body = await askMeta(`to subscribe the app to WABA ${wabaId}`, () => graph.call('POST', `${wabaId}/subscribed_apps`, { token }));
  if (body.success !== true) throw unexpected(`POST ${wabaId}/subscribed_apps`);
}
