/**
 * Policy before money is spent: the checks a send must pass before it is queued, in the order
 * Meta applies them, so the first refusal is the one Meta would have given (the emulator's
 * messaging/send-message.ts and outcome.ts):
 *   1. the template (templates/check-template-send.ts): 132001, 132015, 132016, 132000, 132012,
 *      132005, 132007 — Meta answers these synchronously too;
 *   2. the customer-service window: free-form outside 24 h → 131047 at once, unless the tenant
 *      chose to let Meta decide (then Meta fails it later with the same code);
 *   3. opt-in (contacts/check-opt-in.ts): 131050;
 *   4. the portfolio's messaging limit (limits/check-messaging-limit.ts), last, so that a send
 *      refused for another reason takes no slot: 131048, or 'hold'.
 * A refusal throws Meta's GraphError; nothing is stored. Passing returns the decision: pricing
 * category, whether the window is open, whether this message opens a free-entry-point window.
 * Every comparison is against ctx.clock.now().
 */
import { ErrorCode, GraphError, type ValidatedSend } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { checkOptIn } from '../contacts/check-opt-in.js';
import { checkMessagingLimit } from '../limits/check-messaging-limit.js';
import type { NumberInfo } from '../messaging/numbers.js';
import { checkTemplateSend, type CheckedTemplate } from '../templates/check-template-send.js';
import { previewMessagingLimit } from './preview-messaging-limit.js';
import { priceOf, type MessageCategory, type Pricing } from './pricing.js';
import { windowsAt, type Windows } from './service-window.js';
import { openFreeEntryPoint } from './sql/open-free-entry-point.js';
import { readConversation } from './sql/read-conversation.js';
import { tenantPolicy } from './tenant-policy.js';

export interface PolicyDecision {
  /** Pricing category the message falls in (marketing, utility, authentication, service). */
  category: MessageCategory;
  /** How Meta will price it (per-message pricing). */
  pricing: Pricing;
  /** The user's 24 h customer-service window with the number, now. */
  window: Windows['service'];
  /** The free-entry-point window the message falls in (or opens). */
  freeEntryPoint: Windows['freeEntryPoint'];
  /** The service window is closed: a template now is business-initiated (counted by the messaging limit). */
  outsideWindow: boolean;
  /** The message opens a 72 h free-entry-point window (the first reply within 24 h of a click-to-WhatsApp referral). */
  opensWindow: boolean;
  /** Accepted but held back by the messaging limit (the tenant's over-limit choice 'hold'). */
  held: boolean;
  /** How long the message may wait before it is dropped (Meta's time to live; see messageTtlMs). */
  ttlMs: number;
  /** The stored template a template message was checked against. */
  template?: { id: string; name: string; language: string; version: number };
}

export type MessageSend = Extract<ValidatedSend, { kind: 'message' }>;

/** 'send' applies the decision's effects (a free-entry-point window opens); 'dry-run' changes nothing. */
export type PolicyMode = 'send' | 'dry-run';

const RE_ENGAGEMENT_DETAILS = 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.';

export async function checkPolicy(ctx: PlatformContext, number: NumberInfo, send: MessageSend, waId: string): Promise<PolicyDecision> {
  return evaluatePolicy(ctx, number, send, waId, 'send');
}

export async function evaluatePolicy(ctx: PlatformContext, number: NumberInfo, send: MessageSend, waId: string, mode: PolicyMode): Promise<PolicyDecision> {
  const isTemplate = send.type === 'template';
  // Independent reads, one round trip of latency.
  const [template, conversation, policy] = await Promise.all([
    isTemplate ? checkTemplateSend(ctx, number.wabaId, send.request.template) : Promise.resolve(undefined),
    readConversation(ctx.sql, number.id, waId),
    tenantPolicy(ctx, number.tenantId),
  ]);
  const now = ctx.clock.now();
  const windows = windowsAt(conversation, now);

  if (!isTemplate && !windows.service.open && policy.windowEnforcement === 'platform') {
    throw new GraphError(ErrorCode.ReEngagement, { details: RE_ENGAGEMENT_DETAILS });
  }
  const category: MessageCategory = template?.category ?? 'service';
  await checkOptIn(ctx, number.tenantId, waId, category);

  // Only a template outside the window reaches a user anew; a free-form message there is Meta's 131047, not the limit's.
  const businessInitiated = isTemplate && !windows.service.open;
  const limit =
    mode === 'send'
      ? await checkMessagingLimit(ctx, number, waId, businessInitiated, policy.overLimit)
      : await previewMessagingLimit(ctx, number, waId, businessInitiated);

  // Meta opens a free-entry-point window only for a message it sends (the 131047 case above never gets here with 'platform').
  // It is recorded now, at acceptance, rather than when the dispatcher sends: moments apart, and a later send of the same
  // conversation is then priced from the same window.
  const sendsAtMeta = isTemplate || windows.service.open;
  const opensWindow = windows.opensFreeEntryPoint && sendsAtMeta;
  if (opensWindow && mode === 'send') {
    await openFreeEntryPoint(ctx.sql, number.id, waId, conversation.referralAt!, windows.freeEntryPoint.expiresAt!);
  }
  const freeEntryPoint = opensWindow || !windows.opensFreeEntryPoint ? windows.freeEntryPoint : { open: false, expiresAt: conversation.fepExpiresAt };
  return {
    category,
    pricing: priceOf(category, windows.service.open, freeEntryPoint.open),
    window: windows.service,
    freeEntryPoint,
    outsideWindow: !windows.service.open,
    opensWindow,
    held: limit === 'hold',
    ttlMs: messageTtlMs(template),
    ...(template ? { template: templateRef(template) } : {}),
  };
}

const MINUTE_MS = 60_000;
const DEFAULT_TTL_MS = 30 * 24 * 60 * MINUTE_MS;
const AUTHENTICATION_TTL_MS = 10 * MINUTE_MS;

/**
 * A message's time to live, as Meta's: 30 days, 10 minutes for an authentication template, or the
 * template's own message_send_ttl_seconds. Meta drops a message it could not deliver by then; the
 * platform drops one it still holds (limits/release-held.ts).
 */
export function messageTtlMs(template: Pick<CheckedTemplate, 'category' | 'ttlSeconds'> | undefined): number {
  if (template?.ttlSeconds != null && template.ttlSeconds > 0) return template.ttlSeconds * 1_000;
  return template?.category === 'authentication' ? AUTHENTICATION_TTL_MS : DEFAULT_TTL_MS;
}

function templateRef(t: CheckedTemplate): NonNullable<PolicyDecision['template']> {
  return { id: t.id, name: t.name, language: t.language, version: t.version };
}
