/** Every platform module's routes and workers, wired in one place. */
import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from './context.js';
import { registerApiDocs } from './api/docs.js';
import { registerApiRoutes } from './api/routes.js';
import { registerAssetRoutes } from './assets/routes.js';
import { InboundProcessor } from './inbound/processor.js';
import { registerInboundRoutes } from './inbound/routes.js';
import { Dispatcher } from './messaging/dispatch/dispatcher.js';
import { registerMessagingRoutes } from './messaging/routes.js';
import { registerMetricsRoute } from './metrics/route.js';
import { registerWebhookRoutes } from './webhooks/routes.js';
import { startWebhookDelivery } from './webhooks/worker.js';

export interface Workers {
  close(): Promise<void>;
}

export function registerModules(app: FastifyInstance, ctx: PlatformContext): void {
  // First: the OpenAPI description collects the /api/v1 routes declared after it.
  registerApiDocs(app);
  registerMetricsRoute(app, ctx);
  registerAssetRoutes(app, ctx);
  registerInboundRoutes(app, ctx);
  registerWebhookRoutes(app, ctx);
  registerApiRoutes(app, ctx);
  // Last: the Cloud-API-compatible surface owns the generic /{id}/… paths.
  registerMessagingRoutes(app, ctx);
}

export async function startWorkers(ctx: PlatformContext): Promise<Workers> {
  // Delivery first, so that it is there for the events the others produce.
  const delivery = await startWebhookDelivery(ctx);
  const inbound = new InboundProcessor(ctx);
  await inbound.start();
  const dispatcher = new Dispatcher(ctx);
  await dispatcher.start();
  return {
    async close() {
      // Producers of tenant events stop before their delivery does.
      await dispatcher.close();
      await inbound.close();
      await delivery.close();
    },
  };
}
