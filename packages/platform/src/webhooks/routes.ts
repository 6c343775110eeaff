/**
 * Routes of the webhooks module: Meta's registration calls on the tenant's WABAs
 * (/{waba-id}/subscribed_apps), and /api/v1 configuration, inspection and replay. POST
 * /{phone-number-id} with webhook_configuration is served by the Cloud-API surface, which calls
 * setPhoneWebhookOverride (phone-override.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context.js';
import { registerConfigRoutes } from './config-routes.js';
import { registerEventRoutes } from './event-routes.js';
import { registerSubscribedAppsRoutes } from './subscribed-apps-routes.js';

export function registerWebhookRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  registerSubscribedAppsRoutes(app, ctx);
  registerConfigRoutes(app, ctx);
  registerEventRoutes(app, ctx);
}
