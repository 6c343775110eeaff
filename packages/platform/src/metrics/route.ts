/** GET /metrics: Prometheus text, with queue gauges read fresh from the database. */
import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context.js';

export function registerMetricsRoute(app: FastifyInstance, ctx: PlatformContext): void {
  app.get('/metrics', async (_request, reply) => {
    const now = ctx.clock.now();
    // Planned at each scrape, not prepared (see numbersWithWork in messaging/sql/claim-batch.ts).
    const rows = await ctx.sql<{ phone_number_id: string; depth: number; oldest: Date }[]>`
      select q.phone_number_id, count(*)::int as depth, min(m.created_at) as oldest
      from send_queue q join messages m on m.id = q.message_id
      group by q.phone_number_id`.simple();
    ctx.metrics.queueDepth.values.clear();
    ctx.metrics.queueOldestAge.values.clear();
    for (const r of rows) {
      ctx.metrics.queueDepth.set({ phone_number_id: r.phone_number_id }, r.depth);
      ctx.metrics.queueOldestAge.set({ phone_number_id: r.phone_number_id }, Math.max(0, (now - r.oldest.getTime()) / 1000));
    }
    return reply.type('text/plain; version=0.0.4').send(ctx.metrics.render());
  });
}
