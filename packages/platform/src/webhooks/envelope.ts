/**
 * Meta's webhook body for a batch of events: `{object:"whatsapp_business_account", entry:[{id,
 * time, changes:[{value, field}]}]}`, consecutive events of one WABA sharing an entry, serialised
 * as Meta does (compact, non-ASCII escaped as \uXXXX) so the signature covers exactly those bytes.
 */
import { serializeWebhookBody } from '@switchboard/wire';

export interface EnvelopeEvent {
  event_id: string;
  waba_id: string;
  field: string;
  value: unknown;
  created_at: Date;
}

interface Entry {
  id: string;
  time: number;
  changes: Array<{ value: unknown; field: string }>;
}

/** Meta allows 3 MB per POST; a batch stops growing at 1 MB so large media events still fit. */
export const MAX_BODY_BYTES = 1_000_000;

/**
 * The longest prefix of `events` whose values fit in `maxBytes` (always at least one event):
 * the rest stays queued for the next POST, and order is kept because only a prefix is taken.
 */
export function fittingPrefix<T extends { value: unknown }>(events: T[], maxBytes = MAX_BODY_BYTES): T[] {
  let size = 0;
  let n = 0;
  for (const event of events) {
    size += JSON.stringify(event.value ?? null).length + 64;
    if (n > 0 && size > maxBytes) break;
    n++;
  }
  return events.slice(0, n);
}

export function buildEnvelope(events: EnvelopeEvent[]): { body: string; eventIds: string[] } {
  const entry: Entry[] = [];
  for (const event of events) {
    const change = { value: event.value, field: event.field };
    const last = entry[entry.length - 1];
    if (last && last.id === event.waba_id) last.changes.push(change);
    else entry.push({ id: event.waba_id, time: Math.floor(event.created_at.getTime() / 1000), changes: [change] });
  }
  // Ids in the order of the changes in the body: entry by entry, change by change.
  return { body: serializeWebhookBody({ object: 'whatsapp_business_account', entry }), eventIds: events.map((e) => e.event_id) };
}
