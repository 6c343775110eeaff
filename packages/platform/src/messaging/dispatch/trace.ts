/**
 * Every send carries the platform's wamid to Meta in `biz_opaque_callback_data`, which Meta echoes
 * in every status webhook of that message. Two things follow:
 * - a status can be matched to its message even when it arrives before the dispatcher has recorded
 *   Meta's id;
 * - an attempt whose outcome is unknown (a timeout, or a crash after the request left) is not sent
 *   again at once: the dispatcher waits a grace period (ctx.unknownOutcomeGraceMs), and if Meta had
 *   the message its `sent` status arrives meanwhile and marks it sent — no duplicate. The grace
 *   must cover Meta's webhook retries while the platform was down plus the inbound backlog after a
 *   restart: with 15 s, a crash test at 1,000 msg/s still saw 5 % of in-flight sends duplicated;
 *   60 s removed them.
 * The tenant's own `biz_opaque_callback_data` is kept in the stored body and put back in the
 * statuses the tenant receives.
 */
export const TRACE_PREFIX = 'sb1:';
export const DEFAULT_UNKNOWN_OUTCOME_GRACE_MS = 60_000;

export function traced(body: Record<string, unknown>, wamid: string): Record<string, unknown> {
  return { ...body, biz_opaque_callback_data: `${TRACE_PREFIX}${wamid}` };
}

/** The platform wamid a status names, if it carries our trace. */
export function tracedWamid(bizOpaqueCallbackData: unknown): string | undefined {
  return typeof bizOpaqueCallbackData === 'string' && bizOpaqueCallbackData.startsWith(TRACE_PREFIX)
    ? bizOpaqueCallbackData.slice(TRACE_PREFIX.length)
    : undefined;
}
