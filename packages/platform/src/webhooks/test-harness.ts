/**
 * For the webhooks module's tests: a migrated database, a platform context on a frozen
 * VirtualClock, an HTTP app with only this module's routes (the rest of the platform is not
 * needed to test it), tenants with WABAs and numbers inserted directly, and webhook receivers —
 * real node:http servers on port 0 that answer Meta's handshake and record every POST.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createHttpServer, createLogger, VirtualClock } from '@switchboard/runtime';
import { newGraphId } from '@switchboard/wire';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import type { PlatformContext } from '../context.js';
import { SecretBox } from '../crypto/secret-box.js';
import { connect } from '../db/connect.js';
import { Metrics } from '../metrics/metrics.js';
import { createPlatform } from '../server.js';
import { createTenant, type CreatedTenant } from '../tenants/create-tenant.js';
import { enqueueTenantEvents, type TenantEvent } from './enqueue-events.js';
import { registerWebhookRoutes } from './routes.js';
import { LOOPBACK_NETWORKS } from './tenant-url-guard.js';

/** Parsed JSON as tests read it: any path may be asserted on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-only convenience for deep assertions
export type Json = any;

export interface Post {
  raw: string;
  headers: IncomingHttpHeaders;
  body: { object: string; entry: Array<{ id: string; time: number; changes: Array<{ field: string; value: Json }> }> };
  eventIds: string[];
}

/** A tenant's webhook server: answers the handshake for `verifyToken`, records accepted POSTs. */
export class Receiver {
  url = '';
  verifyToken = `vt_${randomBytes(6).toString('hex')}`;
  /** ok: 200; fail: `failStatus`; hang: never answers; wrong-challenge: handshake echoes garbage. */
  mode: 'ok' | 'fail' | 'hang' | 'wrong-challenge' = 'ok';
  failStatus = 503;
  /** Real delay before answering a POST, to widen race windows in concurrency tests. */
  delayMs = 0;
  /** While set, POSTs are answered only once it resolves (a test acts while one is in flight). */
  hold: Promise<void> | undefined;
  readonly posts: Post[] = [];
  attempts = 0;
  inFlight = 0;
  maxInFlight = 0;
  handshakes = 0;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor() {
    this.#server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET') {
        this.handshakes++;
        const ok = url.searchParams.get('hub.mode') === 'subscribe' && url.searchParams.get('hub.verify_token') === this.verifyToken;
        if (!ok) return void res.writeHead(403).end('forbidden');
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end(this.mode === 'wrong-challenge' ? 'nope' : url.searchParams.get('hub.challenge'));
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.attempts++;
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        const finish = () => {
          this.inFlight--;
          if (this.mode === 'hang') return;
          if (this.mode === 'fail') return void res.writeHead(this.failStatus).end('down for maintenance');
          const raw = Buffer.concat(chunks).toString('utf8');
          const ids = String(req.headers['x-switchboard-event-ids'] ?? '');
          this.posts.push({ raw, headers: req.headers, body: JSON.parse(raw), eventIds: ids ? ids.split(',') : [] });
          res.writeHead(200).end('ok');
        };
        if (this.mode === 'hang') {
          this.inFlight--;
          return;
        }
        if (this.hold) void this.hold.then(finish);
        else if (this.delayMs > 0) setTimeout(finish, this.delayMs);
        else finish();
      });
    });
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
    return this;
  }

  /** Every change received, in arrival order, with its event id. */
  changes(): Array<{ eventId: string; wabaId: string; field: string; value: Json }> {
    return this.posts.flatMap((p) => {
      let i = 0;
      return p.body.entry.flatMap((e) => e.changes.map((c) => ({ eventId: p.eventIds[i++]!, wabaId: e.id, field: c.field, value: c.value })));
    });
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

export interface TenantFixture extends CreatedTenant {
  wabaId: string;
  phoneNumberIds: string[];
}

/** The `seq`th inbound text message from `waId` to the tenant's first number, as queued for the tenant (wamid `wamid.<waId>.<seq>`). */
export function messageEvent(t: TenantFixture, waId: string, seq: number, extra: Partial<TenantEvent> = {}): TenantEvent {
  const phone = t.phoneNumberIds[0]!;
  return {
    tenantId: t.tenant_id,
    wabaId: t.wabaId,
    phoneNumberId: phone,
    field: 'messages',
    orderingKey: `${phone}:${waId}`,
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550000', phone_number_id: phone },
      messages: [{ from: waId, id: `wamid.${waId}.${seq}`, timestamp: '1750000000', type: 'text', text: { body: `message ${seq}` } }],
    },
    ...extra,
  };
}

export interface Harness {
  db: TestDatabase;
  ctx: PlatformContext;
  clock: VirtualClock;
  app: FastifyInstance;
  operatorKey: string;
  /** A tenant with one WABA and `phones` numbers, inserted directly. */
  tenant(name?: string, phones?: number): Promise<TenantFixture>;
  receiver(): Promise<Receiver>;
  /** Enqueues events in one transaction, stamped with the clock. */
  enqueue(events: TenantEvent[]): Promise<void>;
  /** Injects a request with a bearer token. */
  call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, body?: unknown): Promise<{ status: number; json: Json }>;
  /** A context on a pool of its own (a second "process"), to the test database or through `url` (a relay to it). */
  otherContext(url?: string): PlatformContext;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const db = await createTestDatabase();
  const clock = new VirtualClock({ frozen: true });
  const box = new SecretBox(randomBytes(32));
  const logger = createLogger('webhooks-test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const operatorKey = `op_${randomBytes(8).toString('hex')}`;
  // The platform's own context (so it follows every field the platform adds), without its
  // workers; this module's routes are served by an app of their own below.
  const platform = createPlatform({
    sql: db.sql,
    logger,
    box,
    operatorKey,
    clock,
    // Never called by this module; an address nothing listens on.
    graph: { baseUrl: 'http://127.0.0.1:9', version: 'v23.0' },
    meta: { appId: undefined, appSecret: undefined, verifyToken: undefined },
    webhookAllowedNetworks: LOOPBACK_NETWORKS,
    workers: false,
  });
  const contextOn = (sql: PlatformContext['sql']): PlatformContext => ({ ...platform.ctx, sql, metrics: new Metrics() });
  const ctx = contextOn(db.sql);
  const app = createHttpServer({ logger, graphVersions: true });
  registerWebhookRoutes(app, ctx);
  await app.ready();
  const receivers: Receiver[] = [];
  const pools: Array<PlatformContext['sql']> = [];

  return {
    db,
    ctx,
    clock,
    app,
    operatorKey,
    async tenant(name = 'Tenant', phones = 1) {
      const created = await createTenant(db.sql, box, name);
      const wabaId = newGraphId();
      await db.sql`insert into wabas (id, tenant_id, name, access_token_enc) values (${wabaId}, ${created.tenant_id}, ${`${name} WABA`}, ${box.seal('meta-token')})`;
      const phoneNumberIds: string[] = [];
      for (let i = 0; i < phones; i++) {
        const id = newGraphId();
        await db.sql`insert into phone_numbers (id, tenant_id, waba_id, display_phone_number) values (${id}, ${created.tenant_id}, ${wabaId}, ${`1555000${i}`})`;
        phoneNumberIds.push(id);
      }
      return { ...created, wabaId, phoneNumberIds };
    },
    async receiver() {
      const r = await new Receiver().start();
      receivers.push(r);
      return r;
    },
    async enqueue(events) {
      await db.sql.begin((tx) => enqueueTenantEvents(tx, events, clock.now()));
    },
    async call(method, url, token, body) {
      const res = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      let json: unknown;
      try {
        json = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        json = res.body;
      }
      return { status: res.statusCode, json };
    },
    otherContext(url = db.url) {
      // A separate pool is a separate set of sessions, as a second platform process would have.
      const sql = connect(url, { max: 5 });
      pools.push(sql);
      return contextOn(sql);
    },
    async close() {
      await app.close();
      await platform.close();
      for (const r of receivers) await r.close();
      for (const p of pools) await p.end();
      await db.drop();
    },
  };
}
