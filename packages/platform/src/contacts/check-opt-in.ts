/**
 * The opt-in rule, checked before a send is accepted (the policy pipeline calls it):
 * - as in the MoEngage seed, everyone may be sent to except contacts whose subscription is FALSE;
 * - FALSE blocks marketing templates only, the category Meta's own opt-out covers (131050 is
 *   marketing-only: the emulator still delivers utility and authentication templates and service
 *   replies to a user who stopped marketing). An order update, a one-time password or an answer
 *   inside a window the user opened is not what the user said no to;
 * - a tenant may require TRUE for marketing (tenantPolicy.requireOptInForMarketing): then unset
 *   contacts are refused too.
 * A refusal is Meta's 131050, synchronously: the answer Meta would give later in a `failed`
 * status, given now, before anything is queued, sent or charged. An unknown category (undefined)
 * is not treated as marketing.
 *
 * @example
 *   await checkOptIn(ctx, number.tenantId, waId, 'marketing'); // throws GraphError 131050 for a FALSE contact
 */
import { ErrorCode, GraphError } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { tenantPolicy } from '../policy/tenant-policy.js';

export const STOPPED_DETAILS = 'The recipient has chosen to stop receiving marketing messages on WhatsApp from your business.';
export const NOT_OPTED_IN_DETAILS =
  'The recipient has not opted in to marketing messages (subscription is not TRUE), and this tenant requires opt-in for marketing templates.';

export async function checkOptIn(ctx: PlatformContext, tenantId: string, waId: string, category: string | undefined): Promise<void> {
  if (category?.toLowerCase() !== 'marketing') return;
  const [contact] = await ctx.sql<{ subscription: boolean | null }[]>`
    select subscription from contacts where tenant_id = ${tenantId} and wa_id = ${waId}`;
  const subscription = contact?.subscription ?? null;
  if (subscription === false) throw new GraphError(ErrorCode.UserStoppedMarketing, { details: STOPPED_DETAILS });
  if (subscription === true) return;
  if ((await tenantPolicy(ctx, tenantId)).requireOptInForMarketing) {
    throw new GraphError(ErrorCode.UserStoppedMarketing, { details: NOT_OPTED_IN_DETAILS });
  }
}
