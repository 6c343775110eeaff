/**
 * The control API (/_emulator/…): what a test or a developer does to Meta's side that Meta has no
 * call for — move the clock, reset, inspect webhook deliveries. Modules add their own control routes.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, GraphError } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';

export function registerControlRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get('/_emulator/clock', async () => ({ now: ctx.clock.now(), iso: new Date(ctx.clock.now()).toISOString(), frozen: ctx.clock.frozen }));

  app.post('/_emulator/clock/advance', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const ms = Number(body.ms ?? 0) + Number(body.seconds ?? 0) * 1_000 + Number(body.minutes ?? 0) * 60_000 + Number(body.hours ?? 0) * 3_600_000;
    if (!Number.isFinite(ms) || ms < 0) {
      throw new GraphError(ErrorCode.InvalidParameter, { details: 'Give ms, seconds, minutes or hours as non-negative numbers.' });
    }
    ctx.clock.advance(ms);
    return { now: ctx.clock.now(), iso: new Date(ctx.clock.now()).toISOString() };
  });

  app.post('/_emulator/reset', async () => {
    ctx.state.reset();
    ctx.webhooks.clear();
    ctx.clock.clear();
    return { success: true };
  });

  app.get('/_emulator/webhooks', async (request) => {
    const { limit } = request.query as { limit?: string };
    const n = Math.min(Math.max(Number(limit ?? 100) || 100, 1), 1_000);
    return { stats: ctx.webhooks.stats(), deliveries: ctx.webhooks.log.slice(-n) };
  });
}
