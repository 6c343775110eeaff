/**
 * The operator and tenant JSON API under /api/v1 (described at /api/v1/openapi.json, browsable at
 * /api/v1/docs): tenants and keys, and the read-only history of messages, received messages and
 * customer-service windows. WABAs and numbers are the assets module's (assets/routes.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context.js';
import { registerKeyRoutes } from '../tenants/key-routes.js';
import { registerTenantRoutes } from '../tenants/tenant-routes.js';
import { registerConversationRoutes } from './conversations/routes.js';
import { registerInboundMessageRoutes } from './inbound-messages/routes.js';
import { registerMessageRoutes } from './messages/routes.js';

export function registerApiRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  registerTenantRoutes(app, ctx);
  registerKeyRoutes(app, ctx);
  registerMessageRoutes(app, ctx);
  registerInboundMessageRoutes(app, ctx);
  registerConversationRoutes(app, ctx);
}
