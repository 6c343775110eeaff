/**
 * Meta's webhooks into the platform. GET answers the verification handshake with the configured
 * verify token; POST checks X-Hub-Signature-256 over the raw bytes with the app secret (missing or
 * forged: 401, counted), stores the body (once: a retried POST is recognised by its digest),
 * wakes the processor and answers 200. Processing happens
 * after the answer, so Meta never waits on it and nothing is lost if processing fails.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ErrorCode, GraphError, SIGNATURE_HEADER, hasUnstorableText, toStorableText, verifySignature } from '@switchboard/wire';
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
    // Stored as received (a json column keeps the text and its key order), except text PostgreSQL
    // cannot store — U+0000, unpaired surrogates — which becomes U+FFFD: Meta would retry a
    // refused webhook forever. A retried POST (same bytes) is stored once: its digest is unique.
    // One statement, so one round trip; the NOTIFY is delivered when it commits.
    const storable = hasUnstorableText(body, raw) ? JSON.stringify(toStorableText(body)) : withoutBom(raw.toString('utf8'));
    const digest = createHash('sha256').update(raw).digest();
    await ctx.sql`
      with stored as (
        insert into inbound_events (body, received_at, digest) values (${storable}::text::json, ${new Date(ctx.clock.now())}, ${digest})
        on conflict (digest) do nothing returning id)
      select pg_notify(${INBOUND_CHANNEL}, '') from stored`;
    ctx.metrics.metaWebhooks.inc();
    return reply.code(200).send({ success: true });
  };
}

/** The JSON parser skips a leading byte-order mark; PostgreSQL's json input does not. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
