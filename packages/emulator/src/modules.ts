/** Every emulator module's routes, registered in one place. */
import type { FastifyInstance } from 'fastify';
import { registerAssetsRoutes } from './assets/routes.js';
import type { EmulatorContext } from './context.js';
import { registerMessagingRoutes } from './messaging/routes.js';
import { registerTemplatesRoutes } from './templates/routes.js';

export function registerModules(app: FastifyInstance, ctx: EmulatorContext): void {
  registerAssetsRoutes(app, ctx);
  registerTemplatesRoutes(app, ctx);
  registerMessagingRoutes(app, ctx);
}
