/**
 * Builds the platform: the common HTTP frame (health, readiness, Meta-shaped errors), every
 * module's routes, and the background workers (dispatcher, inbound processor, tenant webhook
 * delivery). close() stops accepting, drains in-flight requests, then lets the workers finish what
 * they hold; the pool is the caller's to close.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createHttpServer, systemClock, type Clock, type Logger } from '@switchboard/runtime';
import type { MetaAppSettings, PlatformContext } from './context.js';
import type { SecretBox } from './crypto/secret-box.js';
import type { Sql } from './db/connect.js';
import { migrationsApplied } from './db/migrate.js';
import { GraphClient } from './graph/graph-client.js';
import { DEFAULT_UNKNOWN_OUTCOME_GRACE_MS } from './messaging/dispatch/trace.js';
import { Metrics } from './metrics/metrics.js';
import { registerModules, startWorkers, type Workers } from './modules.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention/prune.js';
import { guardedAgent, TenantUrlGuard } from './webhooks/tenant-url-guard.js';

export interface PlatformOptions {
  sql: Sql;
  logger: Logger;
  box: SecretBox;
  operatorKey: string;
  clock?: Clock;
  graph: { baseUrl: string; version: string; timeoutMs?: number };
  meta: MetaAppSettings;
  publicUrl?: string | undefined;
  unknownOutcomeGraceMs?: number;
  /**
   * Networks the platform may call tenants' URLs in although they are not public (CIDRs, e.g.
   * "127.0.0.0/8" in development, a private receiver's network in production). Default: none.
   */
  webhookAllowedNetworks?: readonly string[];
  /** How long webhook bookkeeping is kept (default: Meta's webhooks 14 days, tenant events 30). */
  retention?: RetentionPolicy;
  /** Run the background workers in this process (default true). */
  workers?: boolean;
}

export interface Platform {
  app: FastifyInstance;
  ctx: PlatformContext;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export function createPlatform(options: PlatformOptions): Platform {
  const { sql } = options;
  const ctx: PlatformContext = {
    sql,
    clock: options.clock ?? systemClock,
    logger: options.logger,
    box: options.box,
    graph: new GraphClient(options.graph.baseUrl, options.graph.version, options.graph.timeoutMs),
    meta: options.meta,
    operatorKey: options.operatorKey,
    metrics: new Metrics(),
    publicUrl: options.publicUrl,
    retention: options.retention ?? DEFAULT_RETENTION,
    tenantHttp: guardedAgent(new TenantUrlGuard(options.webhookAllowedNetworks), { keepAliveTimeout: 10_000, connectTimeoutMs: 10_000 }),
    unknownOutcomeGraceMs: options.unknownOutcomeGraceMs ?? DEFAULT_UNKNOWN_OUTCOME_GRACE_MS,
  };
  const app = createHttpServer({
    logger: options.logger,
    graphVersions: true,
    // Every tenant body may be stored (jsonb, text): text PostgreSQL refuses is bad input, not a 5xx.
    storableText: true,
    ready: async () => {
      await sql`select 1`;
      if (!(await migrationsApplied(sql))) throw new Error('migrations not applied');
      return true;
    },
  });
  registerModules(app, ctx);
  let workers: Workers | undefined;
  return {
    app,
    ctx,
    async listen(port = 0, host = '127.0.0.1') {
      if (options.workers !== false) workers = await startWorkers(ctx);
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    },
    async close() {
      await app.close();
      await workers?.close();
      await ctx.graph.close();
      await ctx.tenantHttp.close();
    },
  };
}
