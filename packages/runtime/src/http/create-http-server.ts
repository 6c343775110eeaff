/**
 * The frame both servers stand in: Fastify with request ids, JSON logs, a JSON parser that keeps
 * the raw bytes (webhook signatures are computed over them), form bodies (some SDKs post
 * verify_code as a form), /healthz and /readyz, and one error handler that renders every error
 * in Meta's error shape.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import { ErrorCode, GraphError, UNSTORABLE_TEXT_DETAILS, hasUnstorableText } from '@switchboard/wire';
import { registerErrorRendering } from './render-error.js';

/** Graph API versions served (reference §0: v18.0 to v26.0 are the ones SDKs use today). */
export const MIN_GRAPH_MAJOR = 18;
export const MAX_GRAPH_MAJOR = 26;
const VERSION_PREFIX = /^\/v(\d{1,3})\.(\d{1,2})(?=\/|\?|$)/;

export function stripVersion(url: string): string {
  const stripped = url.replace(VERSION_PREFIX, '');
  return stripped === '' || stripped.startsWith('?') ? `/${stripped}` : stripped;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body exactly as received, for signature checks. */
    rawBody: Buffer | undefined;
    /** The Graph API version segment the caller used ("v23.0"), if any. */
    graphVersion: string | undefined;
  }
}

export interface HttpServerOptions {
  logger: Logger;
  /** Answers /readyz; throws (or returns false) when the server should not receive traffic. */
  ready?: () => Promise<boolean>;
  bodyLimit?: number;
  /**
   * Strip a leading Graph API version segment (/v23.0/...) so routes are declared once and work
   * with and without it, as graph.facebook.com does. The version is kept on request.graphVersion.
   */
  graphVersions?: boolean;
  /**
   * Refuse JSON and form bodies, paths and queries with text PostgreSQL cannot store (U+0000,
   * unpaired surrogates: wire's storable-text.ts) as Meta's invalid parameter (100), before any
   * handler sees them. The platform stores what it is sent; the emulator stores nothing and
   * leaves this off.
   */
  storableText?: boolean;
  /** Extra Fastify options (tests use none). */
  fastify?: Partial<FastifyServerOptions>;
}

const unstorable = () => new GraphError(ErrorCode.InvalidParameter, { details: UNSTORABLE_TEXT_DETAILS });

export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    // One line per request is written by the onResponse hook below (debug, or error for 5xx).
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Meta's webhook payloads go up to 3 MB; media uploads have their own, larger limit.
    bodyLimit: options.bodyLimit ?? 4 * 1024 * 1024,
    // Ids reach 128 characters (wamids); longer segments are still answered in Meta's shape.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 1_024 },
    // Malformed URLs (bad percent-encoding) are answered in Meta's shape too.
    frameworkErrors: (error, _request, reply) => {
      const err = new GraphError(ErrorCode.InvalidParameter, { details: `The request URL is malformed: ${error.message}` });
      void (reply as unknown as { code(n: number): { send(b: unknown): unknown } }).code(400).send(err.toBody());
    },
    return503OnClosing: true,
    ...(options.graphVersions ? { rewriteUrl: (req: { url?: string }) => stripVersion(req.url ?? '/') } : {}),
    ...options.fastify,
  });

  app.decorateRequest('graphVersion', undefined);
  if (options.graphVersions) {
    app.addHook('onRequest', async (request) => {
      const match = VERSION_PREFIX.exec(request.originalUrl);
      if (!match) return;
      request.graphVersion = `v${match[1]}.${match[2]}`;
      const major = Number(match[1]);
      if (major < MIN_GRAPH_MAJOR || major > MAX_GRAPH_MAJOR || match[2] !== '0') {
        throw new GraphError(ErrorCode.InvalidParameter, {
          message: `Unknown or deprecated Graph API version ${request.graphVersion}; use v${MIN_GRAPH_MAJOR}.0 to v${MAX_GRAPH_MAJOR}.0.`,
          details: `Supported versions are v${MIN_GRAPH_MAJOR}.0 to v${MAX_GRAPH_MAJOR}.0.`,
        });
      }
    });
  }

  if (options.storableText) {
    // A path segment or query value is stored or compared in SQL too: %00 (U+0000) in either is
    // refused like a body holding it. (Percent-encoded text that is not UTF-8 decodes to U+FFFD.)
    app.addHook('onRequest', async (request) => {
      if (/%00/.test(request.url)) throw unstorable();
    });
  }

  app.decorateRequest('rawBody', undefined);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const buf = body as Buffer;
    request.rawBody = buf;
    // Meta accepts bodiless POSTs (subscribed_apps, deregister); so do we.
    if (buf.length === 0) return done(null, undefined);
    void parseJson(request, buf.toString('utf8'), (err, value) => {
      if (!err && options.storableText && hasUnstorableText(value, buf)) return done(unstorable(), undefined);
      done(err, value);
    });
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = Buffer.from(body as string);
    // Percent-decoding makes no unpaired surrogate (bytes that are not UTF-8 become U+FFFD), but %00 is U+0000.
    const fields = Object.fromEntries(new URLSearchParams(body as string));
    if (options.storableText && hasUnstorableText(fields)) return done(unstorable(), undefined);
    done(null, fields);
  });

  // While closing, answers ask the client to close its connection: a keep-alive connection left
  // idle after an in-flight request would otherwise hold close() for the keep-alive timeout (72 s).
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const level = reply.statusCode >= 500 ? 'error' : 'debug';
    request.log[level]({ method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
    done();
  });

  registerErrorRendering(app);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    let ready = true;
    let reason: string | undefined;
    try {
      ready = options.ready ? await options.ready() : true;
    } catch (err) {
      ready = false;
      reason = err instanceof Error ? err.message : String(err);
    }
    return reply.code(ready ? 200 : 503).send(ready ? { status: 'ready' } : { status: 'not_ready', reason });
  });
  return app;
}
