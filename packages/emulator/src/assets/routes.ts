/** Graph API routes of the assets module. */
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.js';

export function registerAssetsRoutes(_app: FastifyInstance, _ctx: EmulatorContext): void {
  // Filled in by the assets module.
}
