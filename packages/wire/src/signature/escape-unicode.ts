/**
 * Meta serialises webhook JSON with every non-ASCII character escaped as \uXXXX (lowercase hex,
 * UTF-16 code units) and signs those bytes. Senders produce that form; receivers whose framework
 * decoded the body re-create it before hashing.
 */
export function escapeUnicode(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON exactly as Meta sends it: compact, ASCII-only. */
export function serializeWebhookBody(payload: unknown): string {
  return escapeUnicode(JSON.stringify(payload));
}
