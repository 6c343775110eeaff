/** Graph API routes of the messaging module. */
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.js';

export function registerMessagingRoutes(_app: FastifyInstance, _ctx: EmulatorContext): void {
  // Filled in by the messaging module.
}
