/**
 * What every platform module receives. Time comes only from `clock` — SQL compares against
 * timestamps passed in from it, never against now() — so tests can move hours in a millisecond.
 */
import type { Clock, Logger } from '@switchboard/runtime';
import type { Dispatcher } from 'undici';
import type { SecretBox } from './crypto/secret-box.js';
import type { Sql } from './db/connect.js';
import type { GraphClient } from './graph/graph-client.js';
import type { Metrics } from './metrics/metrics.js';
import type { RetentionPolicy } from './retention/prune.js';

export interface MetaAppSettings {
  appId: string | undefined;
  /** Verifies X-Hub-Signature-256 on POST /webhooks/meta; unset refuses every webhook. */
  appSecret: string | undefined;
  verifyToken: string | undefined;
}

export interface PlatformContext {
  sql: Sql;
  clock: Clock;
  logger: Logger;
  box: SecretBox;
  graph: GraphClient;
  meta: MetaAppSettings;
  operatorKey: string;
  metrics: Metrics;
  /**
   * How long an attempt whose outcome is unknown waits for Meta's status before it is sent again
   * (see messaging/dispatch/trace.ts).
   */
  unknownOutcomeGraceMs: number;
  /** How long webhook bookkeeping and message content are kept (retention/prune.ts, redact.ts). */
  retention: RetentionPolicy;
  /** Requests to URLs tenants chose (webhooks, callback handshakes): guarded against non-public addresses. */
  tenantHttp: Dispatcher;
  /** The platform's public base URL (PUBLIC_URL), when configured; else the listening address is used. */
  publicUrl?: string | undefined;
}
