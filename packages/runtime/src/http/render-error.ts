/**
 * One place where errors become HTTP answers, always in Meta's error shape. GraphErrors render as
 * themselves; Fastify's own client errors (bad JSON, wrong content type, body too large) become
 * code 100 with details; a connection lost or refused (the database restarting or failing over:
 * isConnectionError) is Meta's code 2, "temporary downtime", as a 503 a client retries with
 * backoff — nothing was done, so the same request (with its Idempotency-Key) may simply be sent
 * again; anything else is a bug: logged with its stack, answered as a bare 500.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { GraphError, ErrorCode, unknownPath } from '@switchboard/wire';
import { isConnectionError } from '../postgres/connection-errors.js';

/** Seconds a client is asked to wait before retrying while the database is unreachable. */
const UNAVAILABLE_RETRY_AFTER_S = 1;

export function toGraphError(err: unknown): GraphError | undefined {
  if (err instanceof GraphError) return err;
  const fe = err as Partial<FastifyError> | undefined;
  const status = fe?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const details =
      fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'Request body is too large.'
        : fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? `Unsupported Content-Type; send application/json.`
          : err instanceof SyntaxError || fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
            ? 'The request body is not valid JSON.'
            : (fe?.message ?? 'Invalid request.');
    return new GraphError(ErrorCode.InvalidParameter, { details, http: status === 413 || status === 415 ? status : 400 });
  }
  return undefined;
}

export function registerErrorRendering(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const graphError = toGraphError(err);
    if (graphError) {
      return reply.code(graphError.status).send(graphError.toBody());
    }
    if (isConnectionError(err)) {
      request.log.warn({ err }, 'a connection the request needed was lost or refused (the database restarting?); answered 503');
      const unavailable = new GraphError(ErrorCode.ApiService, {
        message: '(#2) Service temporarily unavailable',
        details: 'The service is temporarily unavailable; nothing was done. Retry with backoff.',
        http: 503,
      });
      return reply.code(503).header('retry-after', String(UNAVAILABLE_RETRY_AFTER_S)).send(unavailable.toBody());
    }
    request.log.error({ err }, 'unhandled error');
    const internal = new GraphError(ErrorCode.ApiUnknown, {
      message: 'An unknown error occurred',
      http: 500,
    });
    return reply.code(500).send(internal.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const err = unknownPath(request.method, request.url.split('?')[0] ?? request.url);
    return reply.code(err.status).send(err.toBody());
  });
}
