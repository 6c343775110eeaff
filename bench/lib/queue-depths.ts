/**
 * Where an end-to-end backlog sits: once a second, the depth of each queue a message passes
 * through in the platform — the send queue (accepted, not yet sent to Meta), Meta's webhooks
 * stored but not yet processed, statuses waiting for their message's Meta id, and tenant webhook
 * events not yet delivered. The stage whose queue grows is the one that limits the rate.
 */
import type { Sql } from './postgres.js';

export interface DepthSample {
  atMs: number;
  sendQueue: number;
  inboundUnprocessed: number;
  pendingStatuses: number;
  tenantEventsPending: number;
}

export interface DepthSummary {
  samples: DepthSample[];
  max: Omit<DepthSample, 'atMs'>;
  mean: Omit<DepthSample, 'atMs'>;
}

export function sampleQueueDepths(sql: Sql, phoneNumberIds: string[]): { stop(): Promise<DepthSummary> } {
  const samples: DepthSample[] = [];
  const start = Date.now();
  let stopped = false;
  const loop = (async () => {
    // Bounded: one sample a second until stopped, and never more than an hour of them.
    for (let i = 0; i < 3_600 && !stopped; i++) {
      const [row] = await sql<Omit<DepthSample, 'atMs'>[]>`
        select
          (select count(*) from send_queue where phone_number_id = any(${phoneNumberIds}::text[]))::int as "sendQueue",
          (select count(*) from inbound_events where processed_at is null)::int as "inboundUnprocessed",
          (select count(*) from pending_statuses)::int as "pendingStatuses",
          (select count(*) from webhook_pending)::int as "tenantEventsPending"`;
      samples.push({ atMs: Date.now() - start, ...row! });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const keys = ['sendQueue', 'inboundUnprocessed', 'pendingStatuses', 'tenantEventsPending'] as const;
      const max = Object.fromEntries(keys.map((k) => [k, Math.max(0, ...samples.map((s) => s[k]))])) as DepthSummary['max'];
      const mean = Object.fromEntries(
        keys.map((k) => [k, Math.round(samples.reduce((sum, s) => sum + s[k], 0) / Math.max(1, samples.length))]),
      ) as DepthSummary['mean'];
      return { samples, max, mean };
    },
  };
}
