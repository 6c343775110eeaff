/**
 * Policy before money is spent (owned by the policy module): the checks a send must pass before it
 * is queued. Throws Meta's GraphError for a refusal; returns what the accept path records.
 */
import type { ValidatedSend } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import type { NumberInfo } from '../messaging/numbers.js';

export interface PolicyDecision {
  /** Pricing category the message falls in (marketing, utility, authentication, service). */
  category: string | undefined;
}

export async function checkPolicy(
  _ctx: PlatformContext,
  _number: NumberInfo,
  _send: Extract<ValidatedSend, { kind: 'message' }>,
  _waId: string,
): Promise<PolicyDecision> {
  return { category: undefined };
}
