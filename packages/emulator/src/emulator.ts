/**
 * Builds the emulator: an HTTP server that behaves like graph.facebook.com for the WhatsApp
 * Business Platform, and like the WhatsApp users on the other end.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createHttpServer, createLogger, VirtualClock, type Logger } from '@switchboard/runtime';
import type { EmulatorContext } from './context.js';
import { registerControlRoutes } from './control/control-routes.js';
import { NodeRouter } from './graph/nodes.js';
import { registerModules } from './modules.js';
import { EmulatorState } from './state/state.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';

export interface EmulatorOptions {
  clock?: VirtualClock;
  logger?: Logger;
  /** Timeout for webhook POSTs and verification GETs. */
  webhookTimeoutMs?: number;
}

export interface Emulator {
  app: FastifyInstance;
  ctx: EmulatorContext;
  /** Starts listening; resolves to the base URL (http://host:port). */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const logger = options.logger ?? createLogger('emulator', 'silent');
  const clock = options.clock ?? new VirtualClock();
  const state = new EmulatorState();
  const webhooks = new WebhookDispatcher(state, clock, logger, options.webhookTimeoutMs);
  const nodes = new NodeRouter();
  let baseUrl = 'http://127.0.0.1:4010';
  const ctx: EmulatorContext = { state, clock, webhooks, nodes, logger, baseUrl: () => baseUrl };

  // Closing drops open connections at once: an emulator has no in-flight work worth draining, and
  // clients that aborted a request (fault tests) would otherwise hold close() for a minute.
  const app = createHttpServer({ logger, graphVersions: true, bodyLimit: 110 * 1024 * 1024, fastify: { forceCloseConnections: true } });
  registerControlRoutes(app, ctx);
  registerModules(app, ctx);
  nodes.mount(app);

  return {
    app,
    ctx,
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      return baseUrl;
    },
    async close() {
      await webhooks.close();
      clock.clear();
      await app.close();
    },
  };
}
