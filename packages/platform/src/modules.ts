/** Every platform module's routes and workers, wired in one place. */
import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from './context.js';
import { registerApiDocs } from './api/docs.js';
import { registerAlertRoutes } from './alerts/routes.js';
import { subscribeTemplateAlerts } from './alerts/template-alerts.js';
import { registerApiRoutes } from './api/routes.js';
import { registerAssetRoutes } from './assets/routes.js';
import { registerContactRoutes } from './contacts/routes.js';
import { InboundProcessor } from './inbound/processor.js';
import { registerInboundRoutes } from './inbound/routes.js';
import { startHoldReleaser } from './limits/release-held.js';
import { startNumberRefresher } from './limits/refresh-numbers.js';
import { registerLimitRoutes } from './limits/routes.js';
import { Dispatcher } from './messaging/dispatch/dispatcher.js';
import { registerMessagingRoutes } from './messaging/routes.js';
import { registerMetricsRoute } from './metrics/route.js';
import { registerPolicyRoutes } from './policy/policy-routes.js';
import { TemplateReconciler } from './templates/reconcile-worker.js';
import { registerTemplateRoutes } from './templates/template-routes.js';
import { registerWebhookRoutes } from './webhooks/routes.js';
import { startWebhookDelivery } from './webhooks/worker.js';
import { startRetention } from './retention/worker.js';

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
  registerTemplateRoutes(app, ctx);
  registerPolicyRoutes(app, ctx);
  registerContactRoutes(app, ctx);
  registerLimitRoutes(app, ctx);
  registerAlertRoutes(app, ctx);
  subscribeTemplateAlerts();
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
  const templates = new TemplateReconciler(ctx);
  await templates.start();
  const releaser = await startHoldReleaser(ctx);
  const refresher = await startNumberRefresher(ctx);
  const retention = startRetention(ctx);
  return {
    async close() {
      await retention.close();
      // Producers of tenant events stop before their delivery does.
      await refresher.close();
      await releaser.close();
      await templates.close();
      await dispatcher.close();
      await inbound.close();
      await delivery.close();
    },
  };
}
