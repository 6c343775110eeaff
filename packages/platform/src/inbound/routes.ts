/**
 * Meta's webhooks into the platform. GET answers the verification handshake with the configured
 * verify token; POST checks X-Hub-Signature-256 over the raw bytes with the app secret (missing or
 * forged: 401, counted), stores the body (once: a retried POST is recognised by its digest),
 * wakes the processor and answers 200. Processing happens
 * after the answer, so Meta never waits on it and nothing is lost if processing fails.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ErrorCode, GraphError, SIGNATURE_HEADER, verifySignature } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { INBOUND_CHANNEL } from './processor.js';

export function registerInboundRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  app.get('/webhooks/meta', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    if (query['hub.mode'] === 'subscribe' && ctx.meta.verifyToken && query['hub.verify_token'] === ctx.meta.verifyToken) {
      return reply.type('text/plain').send(query['hub.challenge'] ?? '');
    }
    return reply.code(403).type('text/plain').send('verification failed');
  });

  // The signature is checked before the body is parsed: unauthenticated bytes are never parsed,
  // and a forged body the JSON parser would refuse (say, with a "__proto__" key) is a 401 and
  // counted, not a 400.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  void app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer;
      done(null, undefined);
    });
    scope.post('/webhooks/meta', async (request, reply) => {
      const header = request.headers[SIGNATURE_HEADER];
      const raw = request.rawBody;
      if (!ctx.meta.appSecret || !raw || !verifySignature(raw, typeof header === 'string' ? header : undefined, ctx.meta.appSecret)) {
        ctx.metrics.signatureFailures.inc();
        throw new GraphError(ErrorCode.AuthException, { message: 'Invalid or missing X-Hub-Signature-256', http: 401 });
      }
      const parsed = await new Promise<unknown>((resolve) => {
        void parseJson(request, raw.toString('utf8'), (err, value) => resolve(err ? undefined : value));
      });
      return store(parsed, raw, reply);
    });
  });

  const store = async (parsed: unknown, raw: Buffer, reply: FastifyReply) => {
    const body = parsed as { object?: unknown; entry?: unknown } | undefined;
    if (!body || typeof body !== 'object' || !Array.isArray(body.entry)) {
      throw new GraphError(ErrorCode.InvalidParameter, { details: 'Expected a webhook envelope with an entry array.' });
    }
    // PostgreSQL's jsonb holds no U+0000: such characters are stored as U+FFFD rather than
    // failing the webhook (Meta would retry it forever).
    const storable = JSON.stringify(body).includes('\\u0000') ? (JSON.parse(JSON.stringify(body).replaceAll('\\u0000', '\\ufffd')) as object) : body;
    // A retried POST (same bytes) is stored once: its digest is unique.
    const digest = createHash('sha256').update(raw).digest();
    await ctx.sql.begin(async (tx) => {
      const stored = await tx`
        insert into inbound_events (body, received_at, digest) values (${tx.json(storable as never)}, ${new Date(ctx.clock.now())}, ${digest})
        on conflict (digest) do nothing returning id`;
      if (stored.length > 0) await tx`select pg_notify(${INBOUND_CHANNEL}, '')`;
    });
    ctx.metrics.metaWebhooks.inc();
    return reply.code(200).send({ success: true });
  };
}
