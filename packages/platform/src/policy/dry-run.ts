/**
 * The dry run behind POST /api/v1/messages:check: the accept path's validation (wire) and the
 * whole policy pipeline, in 'dry-run' mode — nothing is stored, queued, sent, counted or charged —
 * answering whether the message would be accepted, which rule would refuse it (with Meta's error
 * body), how it would be priced and what it does to the windows.
 */
import { ErrorCode, GraphError, toWaId, validateSendRequest, webhookError } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import type { NumberInfo } from '../messaging/numbers.js';
import { evaluatePolicy } from './check-policy.js';
import type { CheckAnswer } from './policy-schemas.js';
import { windowsAt } from './service-window.js';
import { readConversation } from './sql/read-conversation.js';
import { tenantPolicy } from './tenant-policy.js';

function ruleOf(code: number): NonNullable<CheckAnswer['rule']> {
  if (code >= 132000 && code < 133000) return 'template';
  if (code === ErrorCode.ReEngagement) return 'window';
  if (code === ErrorCode.UserStoppedMarketing) return 'opt_in';
  if (code === ErrorCode.SpamRateLimit) return 'messaging_limit';
  return 'validation';
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

async function refused(ctx: PlatformContext, number: NumberInfo, waId: string | null, err: GraphError): Promise<CheckAnswer> {
  const windows = waId
    ? windowsAt(await readConversation(ctx.sql, number.id, waId), ctx.clock.now())
    : { service: { open: false, expiresAt: null }, freeEntryPoint: { open: false, expiresAt: null } };
  return {
    accepted: false,
    rule: ruleOf(err.code),
    error: err.toBody(),
    held: false,
    recipient: waId,
    category: null,
    pricing_type: null,
    billable: null,
    window: { open: windows.service.open, expires_at: iso(windows.service.expiresAt) },
    free_entry_point: { open: false, expires_at: iso(windows.freeEntryPoint.expiresAt) },
    outside_window: !windows.service.open,
    opens_window: false,
    expected_failure: null,
    template: null,
  };
}

export async function checkMessage(ctx: PlatformContext, number: NumberInfo, message: unknown): Promise<CheckAnswer> {
  let waId: string | null = null;
  try {
    const send = validateSendRequest(message);
    if (send.kind === 'read') {
      throw new GraphError(ErrorCode.InvalidParameter, { details: 'A dry run checks messages; read receipts and typing indicators are not checked.' });
    }
    const input = String(send.request.to);
    waId = toWaId(input, number.callingCode) ?? null;
    if (!waId) throw new GraphError(ErrorCode.InvalidParameter, { details: `Invalid parameter to: "${input}" is not a phone number.` });
    const decision = await evaluatePolicy(ctx, number, send, waId, 'dry-run');
    const metaDecides = send.type !== 'template' && !decision.window.open && (await tenantPolicy(ctx, number.tenantId)).windowEnforcement === 'meta';
    const failure = metaDecides
      ? webhookError(ErrorCode.ReEngagement, 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.')
      : undefined;
    return {
      accepted: true,
      rule: null,
      held: decision.held,
      recipient: waId,
      category: decision.category,
      pricing_type: decision.pricing.type,
      billable: decision.pricing.billable,
      window: { open: decision.window.open, expires_at: iso(decision.window.expiresAt) },
      free_entry_point: { open: decision.freeEntryPoint.open, expires_at: iso(decision.freeEntryPoint.expiresAt) },
      outside_window: decision.outsideWindow,
      opens_window: decision.opensWindow,
      expected_failure: failure ? { code: failure.code, title: failure.title, details: failure.error_data?.details ?? '' } : null,
      template: decision.template ? { id: decision.template.id, name: decision.template.name, language: decision.template.language, status: 'APPROVED' } : null,
    };
  } catch (err) {
    if (err instanceof GraphError) return refused(ctx, number, waId, err);
    throw err;
  }
}
