/**
 * Read receipts (and typing indicators) go to Meta synchronously: the tenant's answer is Meta's.
 * They name inbound messages, whose ids are Meta's own and pass through unchanged.
 */
import { ErrorCode, GraphError } from '@switchboard/wire';
import type { PlatformContext } from '../../context.js';
import { wabaToken, type NumberInfo } from '../numbers.js';

export async function markRead(ctx: PlatformContext, number: NumberInfo, request: Record<string, unknown>): Promise<{ success: true }> {
  const [inbound] = await ctx.sql`
    select 1 from inbound_messages where meta_wamid = ${String(request.message_id)} and tenant_id = ${number.tenantId}
      and phone_number_id = ${number.id}`;
  if (!inbound) {
    throw new GraphError(ErrorCode.ParameterValueInvalid, { details: `Message ${String(request.message_id)} was not received by this number.` });
  }
  const token = await wabaToken(ctx, number.wabaId);
  if (!token) throw new GraphError(ErrorCode.AccessDenied, { details: 'The WABA of this number has no access token.' });
  await ctx.graph.call('POST', `${number.id}/messages`, { token, json: request });
  return { success: true };
}
