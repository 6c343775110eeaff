/**
 * Meta's webhook body for a batch of events: `{object:"whatsapp_business_account", entry:[{id,
 * time, changes:[{value, field}]}]}`, consecutive events of one WABA sharing an entry, serialised
 * as Meta does (compact, non-ASCII escaped as \uXXXX) so the signature covers exactly those bytes.
 *
 * Values arrive as the JSON text they were stored as (compact, written by JSON.stringify) and are
 * spliced into the body as they are: no parse and re-serialise per event on the delivery path.
 */
import { escapeUnicode } from '@switchboard/wire';

export interface EnvelopeEvent {
  event_id: string;
  waba_id: string;
  field: string;
  /** The change's value as compact JSON text (webhook_events.value). */
  value_json: string;
  created_at: Date;
}

/** Meta allows 3 MB per POST; a batch stops growing at 1 MB so large media events still fit. */
export const MAX_BODY_BYTES = 1_000_000;

/**
 * The longest prefix of `events` whose values fit in `maxBytes` (always at least one event):
 * the rest stays queued for the next POST, and order is kept because only a prefix is taken.
 */
export function fittingPrefix<T extends { value_json: string }>(events: T[], maxBytes = MAX_BODY_BYTES): T[] {
  let size = 0;
  let n = 0;
  for (const event of events) {
    size += event.value_json.length + 64;
    if (n > 0 && size > maxBytes) break;
    n++;
  }
  return events.slice(0, n);
}

/** The same bytes as serializeWebhookBody({object, entry: [{id, time, changes: [{value, field}]}]}). */
export function buildEnvelope(events: EnvelopeEvent[]): { body: string; eventIds: string[] } {
  const parts: string[] = ['{"object":"whatsapp_business_account","entry":['];
  let wabaId: string | undefined;
  for (const [i, event] of events.entries()) {
    const change = `{"value":${event.value_json},"field":${JSON.stringify(event.field)}}`;
    if (i > 0 && event.waba_id === wabaId) {
      parts.push(',', change);
      continue;
    }
    if (i > 0) parts.push(']},');
    wabaId = event.waba_id;
    parts.push(`{"id":${JSON.stringify(event.waba_id)},"time":${Math.floor(event.created_at.getTime() / 1000)},"changes":[`, change);
  }
  if (events.length > 0) parts.push(']}');
  parts.push(']}');
  // Ids in the order of the changes in the body: entry by entry, change by change.
  return { body: escapeUnicode(parts.join('')), eventIds: events.map((e) => e.event_id) };
}
