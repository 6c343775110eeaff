/**
 * Builds the platform's HTTP server: the common frame (health, readiness, Meta-shaped errors) and
 * the platform's routes. Readiness means the database answers and every migration is applied.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createHttpServer, type Clock, type Logger } from '@switchboard/runtime';
import type { SecretBox } from './crypto/secret-box.js';
import type { Sql } from './db/connect.js';
import { migrationsApplied } from './db/migrate.js';

export interface PlatformOptions {
  sql: Sql;
  logger: Logger;
  box: SecretBox;
  operatorKey: string;
  clock?: Clock;
}

export interface Platform {
  app: FastifyInstance;
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting, finishes in-flight requests and work. The pool is the caller's to close. */
  close(): Promise<void>;
}

export function createPlatform(options: PlatformOptions): Platform {
  const { sql } = options;
  const app = createHttpServer({
    logger: options.logger,
    graphVersions: true,
    ready: async () => {
      await sql`select 1`;
      if (!(await migrationsApplied(sql))) throw new Error('migrations not applied');
      return true;
    },
  });
  return {
    app,
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    },
    async close() {
      await app.close();
    },
  };
}
