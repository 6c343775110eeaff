/**
 * A whole system for a test: the emulator as a real HTTP server, the platform on a fresh database,
 * one VirtualClock shared by both, the emulator's app subscribed to the platform's /webhooks/meta,
 * and helpers to make tenants with numbers. Close it in afterAll/afterEach.
 */
import { randomBytes } from 'node:crypto';
import { createEmulator, type Emulator, type FixtureResult } from '@switchboard/emulator';
import { VirtualClock } from '@switchboard/runtime';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import type { Sql } from '../src/db/connect.js';
import { LEASE_NAMESPACE } from '../src/messaging/dispatch/dispatcher.js';
import type { Platform } from '../src/server.js';
import { createTenant, type CreatedTenant } from '../src/tenants/create-tenant.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';
import { createTestPlatform } from './test-platform.js';

/** What the emulator's one-call fixtures made for a tenant. */
export type Sandbox = FixtureResult;

export interface TenantWithNumber extends CreatedTenant {
  sandbox: Sandbox;
}

export interface Stack {
  clock: VirtualClock;
  emulator: Emulator;
  emulatorUrl: string;
  platform: Platform;
  platformUrl: string;
  db: TestDatabase;
  operatorKey: string;
  metaVerifyToken: string;
  /** The emulator app the platform is configured with (its secret signs Meta's webhooks). */
  app: { id: string; secret: string };
  /** A tenant owning a fresh WABA and registered number on the emulator. */
  tenantWithNumber(name?: string): Promise<TenantWithNumber>;
  /** fetch against the platform with a bearer token. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
  call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Freeze the shared clock (default true): time moves only with clock.advance(). */
  frozen?: boolean;
  workers?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const clock = new VirtualClock({ frozen: options.frozen ?? true });
  const emulator = createEmulator({ clock });
  const emulatorUrl = await emulator.listen(0);
  const app = { id: String(100000000000000 + Math.floor(Math.random() * 1e14)), secret: randomBytes(16).toString('hex') };
  const db = await createTestDatabase();
  const metaVerifyToken = `vt_${randomBytes(8).toString('hex')}`;
  const { platform, operatorKey, box } = createTestPlatform(db, clock, {
    graph: { baseUrl: emulatorUrl, version: 'v23.0', timeoutMs: 5_000 },
    meta: { appId: app.id, appSecret: app.secret, verifyToken: metaVerifyToken },
    workers: options.workers ?? true,
  });
  const platformUrl = await platform.listen(0);

  const call: Stack['call'] = async (method, path, token, body) => {
    const response = await fetch(`${platformUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: response.status, json };
  };

  async function tenantWithNumber(name = 'Tenant'): Promise<TenantWithNumber> {
    const response = await fetch(`${emulatorUrl}/_emulator/fixtures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        app_id: app.id,
        app_secret: app.secret,
        callback_url: `${platformUrl}/webhooks/meta`,
        verify_token: metaVerifyToken,
      }),
    });
    if (!response.ok) throw new Error(`fixtures: ${response.status} ${await response.text()}`);
    const sandbox = (await response.json()) as Sandbox;
    const tenant = await createTenant(db.sql, box, name);
    const attached = await call('POST', '/api/v1/wabas', operatorKey, {
      tenant_id: tenant.tenant_id,
      waba_id: sandbox.waba_id,
      access_token: sandbox.access_token,
    });
    if (attached.status !== 200) throw new Error(`attach WABA: ${attached.status} ${JSON.stringify(attached.json)}`);
    return { ...tenant, sandbox };
  }

  return {
    clock,
    emulator,
    emulatorUrl,
    platform,
    platformUrl,
    db,
    operatorKey,
    metaVerifyToken,
    app,
    tenantWithNumber,
    call,
    async close() {
      await platform.close();
      await emulator.close();
      await db.drop();
    },
  };
}

/** Sends Meta's `hello_world` template from the tenant's number through the platform; the message's wamid. */
export async function sendHelloWorld(stack: Stack, owner: TenantWithNumber, to: string): Promise<string> {
  const res = await stack.call('POST', `/${owner.sandbox.phone_number_id}/messages`, owner.api_key, {
    messaging_product: 'whatsapp',
    to,
    type: 'template',
    template: { name: 'hello_world', language: { code: 'en_US' } },
  });
  if (res.status !== 200) throw new Error(`send to ${to} answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json.messages[0].id as string;
}

/**
 * Holds a number's send lease, as another platform process would, so the stack's dispatcher stays
 * off the number (a test runs a lane or dispatcher of its own on it). Resolves to the release.
 */
export async function holdSendLease(stack: Stack, phoneNumberId: string): Promise<() => Promise<void>> {
  const lease = await stack.db.sql.reserve();
  await lease`select pg_advisory_lock(${LEASE_NAMESPACE}, hashtext(${phoneNumberId}))`;
  return async () => {
    await lease`select pg_advisory_unlock_all()`;
    lease.release();
  };
}

/**
 * A stack (made in beforeAll, closed in afterAll) with one tenant whose number's send lease the
 * test holds: the stack's dispatcher stays off the number, and the test runs lanes of its own on it.
 */
export function stackWithHeldNumber(name: string): { readonly stack: Stack; readonly tenant: TenantWithNumber } {
  const made = {} as { stack: Stack; tenant: TenantWithNumber; release: () => Promise<void> };
  beforeAll(async () => {
    made.stack = await startStack();
    made.tenant = await made.stack.tenantWithNumber(name);
    made.release = await holdSendLease(made.stack, made.tenant.sandbox.phone_number_id);
  });
  afterAll(async () => {
    await made.release?.();
    await made.stack?.close();
  });
  return made;
}

/** A gate for one statement a test holds: `hold(run)` marks the gate reached and runs `run` once the test opens it. */
export function statementGate(): { reached: Promise<void>; open(): void; hold<T>(run: () => T): Promise<T> } {
  let reach!: () => void;
  let open!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    reached,
    open,
    hold(run) {
      reach();
      return opened.then(run);
    },
  };
}

type Query = (...args: Parameters<Sql>) => unknown;

/**
 * The pool `real` with parts replaced, for a test that makes one statement wait or fail: `query`
 * answers tagged-template calls (`real(...)` for the rest), and `begin`, `listen` … replace the
 * pool's own. Everything else is the pool's.
 */
export function sqlWith(real: Sql, overrides: { query?: Query; begin?: (fn: (tx: TransactionSql) => Promise<unknown>) => unknown; listen?: unknown }): Sql {
  const { query, ...methods } = overrides;
  return Object.assign((...args: Parameters<Sql>) => (query ? query(...args) : real(...args)), real, methods);
}

/** Whether a tagged-template call's statement text contains `fragment`. */
export function statementIncludes(args: Parameters<Sql>, fragment: string): boolean {
  const strings = args[0] as unknown;
  return Array.isArray(strings) && strings.join('').includes(fragment);
}
