/**
 * Accepting a send: validate it as Meta would (wire), resolve the recipient, commit it (group
 * commit), answer with the platform's wamid. Nothing reaches Meta here; the dispatcher sends it.
 * Read receipts and typing indicators are not queued: they go to Meta at once, as they only make
 * sense now.
 */
import { createHash } from 'node:crypto';
import { ErrorCode, GraphError, newWamid, toWaId, validateSendRequest } from '@switchboard/wire';
import type { PlatformContext } from '../../context.js';
import type { NumberInfo } from '../numbers.js';
import type { AcceptBatcher } from './accept-batcher.js';
import { findByIdempotencyKey, type IdempotentMessage } from '../sql/find-by-idempotency-key.js';
import { checkPolicy } from '../../policy/check-policy.js';
import { markRead } from './mark-read.js';

export interface SendAnswer {
  messaging_product: 'whatsapp';
  contacts: Array<{ input: string; wa_id: string }>;
  messages: Array<{ id: string; message_status?: string }>;
}

export type AcceptAnswer = SendAnswer | { success: true };

const MAX_IDEMPOTENCY_KEY = 255;

export async function acceptMessage(
  ctx: PlatformContext,
  batcher: AcceptBatcher,
  number: NumberInfo,
  body: unknown,
  rawBody: Buffer | undefined,
  idempotencyKey: string | undefined,
): Promise<AcceptAnswer> {
  // Text PostgreSQL cannot store (U+0000, unpaired surrogates) was refused when the body was parsed
  // (runtime's storableText): one such send would fail the group commit it shares with others.
  const send = validateSendRequest(body);
  if (send.kind === 'read') return markRead(ctx, number, send.request);

  const input = String(send.request.to);
  const waId = toWaId(input, number.callingCode);
  if (!waId) {
    throw new GraphError(ErrorCode.InvalidParameter, { details: `Invalid parameter to: "${input}" is not a phone number.` });
  }
  if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY || idempotencyKey.includes('\u0000'))) {
    throw new GraphError(ErrorCode.InvalidParameter, { details: `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY} characters.` });
  }
  const requestHash = idempotencyKey ? createHash('sha256').update(rawBody ?? JSON.stringify(body)).digest() : null;
  // A retry answers as the first time, even if policy would refuse the request now.
  if (idempotencyKey) {
    const first = await findByIdempotencyKey(ctx.sql, number.tenantId, idempotencyKey);
    if (first) return replay(first, requestHash, input);
  }
  const decision = await checkPolicy(ctx, number, send, waId);
  const wamid = newWamid(waId);
  const inserted = await batcher.submit({
    wamid,
    tenantId: number.tenantId,
    phoneNumberId: number.id,
    recipient: waId,
    type: send.type,
    body: send.request,
    idempotencyKey: idempotencyKey ?? null,
    requestHash,
    // Past the messaging limit with the tenant's 'hold': queued, sent once a slot frees (limits/release-held.ts).
    held: decision.held,
    // Dropped with a failed status if still queued then (held: limits/sql/expire-held.ts; else dispatch/lane.ts).
    expiresAt: new Date(ctx.clock.now() + decision.ttlMs),
  });
  ctx.metrics.accepted.inc();
  if (inserted) return answer(input, waId, wamid, send.type);

  // A concurrent request with the same key committed first: answer as it was answered.
  const first = await findByIdempotencyKey(ctx.sql, number.tenantId, idempotencyKey!);
  if (!first) throw new Error('idempotency conflict without a stored message');
  return replay(first, requestHash, input);
}

function replay(first: IdempotentMessage, requestHash: Buffer | null, input: string): SendAnswer {
  if (first.request_hash && requestHash && !first.request_hash.equals(requestHash)) {
    throw new GraphError(ErrorCode.InvalidParameter, {
      details: 'This Idempotency-Key was already used with a different request.',
      http: 422,
    });
  }
  return answer(String(first.to ?? input), first.recipient, first.wamid, first.type);
}

function answer(input: string, waId: string, wamid: string, type: string): SendAnswer {
  return {
    messaging_product: 'whatsapp',
    contacts: [{ input, wa_id: waId }],
    messages: [type === 'template' ? { id: wamid, message_status: 'accepted' } : { id: wamid }],
  };
}
