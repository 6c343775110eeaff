/**
 * What the history shows of a message, its attempts and statuses. Meta's own message id is never
 * shown (the tenant knows the message by the platform's wamid only), which is also why an
 * attempt's raw response — it holds Meta's id on success — is reduced to its error.
 */
import type { Static } from '@sinclair/typebox';
import type { MessageAttempt, MessageDetail, MessageError, MessageStatus, MessageSummary } from './message-schemas.js';
import type { AttemptRow, MessageContent, MessageRow, StatusRow } from './message-store.js';

type ErrorView = Static<typeof MessageError>;

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * An error stored in any of the shapes the platform keeps: Meta's synchronous body
 * ({error:{code,message,error_data}}), a webhook error ({code,title,message,error_data}) or the
 * platform's own ({code,details}). Anything without a numeric code is no error.
 */
export function presentError(value: unknown, fallbackCode?: number | null): ErrorView | null {
  const outer = value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  const inner = outer?.error && typeof outer.error === 'object' ? (outer.error as Record<string, unknown>) : outer;
  const code = typeof inner?.code === 'number' ? inner.code : fallbackCode;
  if (typeof code !== 'number') return null;
  const data = inner?.error_data && typeof inner.error_data === 'object' ? (inner.error_data as Record<string, unknown>) : undefined;
  return {
    code,
    title: text(inner?.title),
    message: text(inner?.message),
    details: text(data?.details) ?? text(inner?.details),
  };
}

export function presentMessage(row: MessageRow): Static<typeof MessageSummary> {
  return {
    wamid: row.wamid,
    tenant_id: row.tenant_id,
    phone_number_id: row.phone_number_id,
    recipient: row.recipient,
    type: row.type,
    status: row.status,
    attempt_count: row.attempts,
    error: presentError(row.error),
    idempotency_key: row.idempotency_key,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function presentAttempt(row: AttemptRow): Static<typeof MessageAttempt> {
  return {
    attempt: row.attempt,
    started_at: row.started_at.toISOString(),
    finished_at: row.finished_at.toISOString(),
    outcome: row.outcome,
    http_status: row.http_status,
    error: row.outcome === 'sent' ? null : presentError(row.response, row.meta_code),
  };
}

function presentStatus(row: StatusRow): Static<typeof MessageStatus> {
  return {
    status: row.status,
    at: row.at.toISOString(),
    pricing: row.pricing ?? null,
    errors: Array.isArray(row.errors) ? row.errors.map((e) => presentError(e)).filter((e): e is ErrorView => e !== null) : [],
  };
}

export function presentMessageDetail(found: {
  message: MessageRow & MessageContent;
  attempts: AttemptRow[];
  statuses: StatusRow[];
}): Static<typeof MessageDetail> {
  return {
    ...presentMessage(found.message),
    body: found.message.body,
    content_redacted_at: found.message.content_redacted_at?.toISOString() ?? null,
    attempts: found.attempts.map(presentAttempt),
    statuses: found.statuses.map(presentStatus),
  };
}
