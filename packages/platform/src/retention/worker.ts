/**
 * Runs retention (prune.ts, then redact.ts when content retention is set) in the background: a
 * minute after start, then every hour (real time: it is housekeeping, not logic a test drives;
 * tests call pruneExpired and redactExpiredContent with the platform clock).
 * One run at a time per process; close() waits for a run in progress.
 */
import type { PlatformContext } from '../context.js';
import { pruneExpired, type Pruned } from './prune.js';
import { redactExpiredContent, type Redacted } from './redact.js';

const FIRST_RUN_MS = 60_000;
const INTERVAL_MS = 3_600_000;

export interface RetentionWorker {
  close(): Promise<void>;
}

export function startRetention(ctx: PlatformContext, options: { firstRunMs?: number; intervalMs?: number } = {}): RetentionWorker {
  let running: Promise<void> | undefined;
  let closed = false;
  const run = (): void => {
    if (running || closed) return;
    running = runOnce(ctx)
      .catch((err: unknown) => ctx.logger.error({ err }, 'retention failed; will retry at the next run'))
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(run, options.firstRunMs ?? FIRST_RUN_MS);
  const every = setInterval(run, options.intervalMs ?? INTERVAL_MS);
  first.unref();
  every.unref();
  return {
    async close() {
      closed = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}

async function runOnce(ctx: PlatformContext): Promise<void> {
  const now = ctx.clock.now();
  record(ctx, await pruneExpired(ctx.sql, ctx.retention, now));
  const days = ctx.retention.messageContentDays;
  if (days !== undefined) recordRedacted(ctx, await redactExpiredContent(ctx.sql, days, now));
}

function recordRedacted(ctx: PlatformContext, redacted: Redacted): void {
  if (redacted.messages > 0) ctx.metrics.retentionRedacted.inc({ table: 'messages' }, redacted.messages);
  if (redacted.inboundMessages > 0) ctx.metrics.retentionRedacted.inc({ table: 'inbound_messages' }, redacted.inboundMessages);
  if (redacted.messages + redacted.inboundMessages > 0) ctx.logger.info({ redacted }, 'retention: content of messages past its retention removed');
}

function record(ctx: PlatformContext, pruned: Pruned): void {
  const tables: Record<keyof Pruned, string> = {
    inboundEvents: 'inbound_events',
    pendingStatuses: 'pending_statuses',
    webhookEvents: 'webhook_events',
    webhookAttempts: 'webhook_attempts',
  };
  let total = 0;
  for (const [kind, table] of Object.entries(tables) as Array<[keyof Pruned, string]>) {
    if (pruned[kind] > 0) ctx.metrics.retentionDeleted.inc({ table }, pruned[kind]);
    total += pruned[kind];
  }
  if (total > 0) ctx.logger.info({ pruned }, 'retention: rows past their retention deleted');
}
