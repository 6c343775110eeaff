/** The operator (admin) API is guarded by one bearer key from configuration, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { invalidToken } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { bearerToken } from './tenant-auth.js';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export function isOperator(ctx: PlatformContext, request: FastifyRequest): boolean {
  const token = bearerToken(request);
  return token !== undefined && timingSafeEqual(digest(token), digest(ctx.operatorKey));
}

export function requireOperator(ctx: PlatformContext, request: FastifyRequest): void {
  if (!isOperator(ctx, request)) throw invalidToken();
}
