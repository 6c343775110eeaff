/** Graph API routes of the templates module. */
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.js';

export function registerTemplatesRoutes(_app: FastifyInstance, _ctx: EmulatorContext): void {
  // Filled in by the templates module.
}
