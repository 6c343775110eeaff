/**
 * Fault injection: make Meta slow or failing on purpose, so a client's retries, timeouts and
 * backoff can be tested. Rules live in the state (a reset drops them) and are checked, in the
 * order they were added, by an onRequest hook on every Graph request (never on /_emulator/…,
 * /healthz or /readyz).
 *
 *   POST   /_emulator/faults       one rule, an array, or {rules:[…]}; answers the rules created
 *   GET    /_emulator/faults       the rules with their counters (matched, injected)
 *   DELETE /_emulator/faults       removes every rule; DELETE /_emulator/faults/{id} removes one
 *
 * A rule: {match:{method?, path?}, latency_ms?, status?, code?, error_subcode?, details?,
 * timeout?, timeout_ms?, error_rate?, every?, burst?, seed?}.
 * - `path` is a route pattern ("/:id/messages", "*" for any run of characters) or, starting with
 *   "^", a regular expression; it is matched against the path without the version segment.
 * - Every matching rule adds its `latency_ms`; the first matching rule that decides to fail answers.
 * - Which requests fail: `burst` → the next N matching requests, then the rule is spent and removed;
 *   `every` → every Nth matching request; `error_rate` → a seeded pseudo-random share (give `seed`
 *   for a repeatable sequence); none of them → every matching request.
 * - How they fail: `timeout` holds the request unanswered until the client gives up or
 *   `timeout_ms` (default 30 s, at most 120 s) passes, then drops the connection; otherwise an error
 *   in Meta's shape with `code` (default from `status`: 429 → 4, 500 → 131000, other 5xx → 2,
 *   other 4xx → 100) and HTTP `status` (default: the code's status in the catalogue).
 * Latency and timeouts are real time, not the emulator clock: they act on the client's real
 * timeouts, and a frozen test clock must not hold requests forever.
 */
import { randomInt } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ErrorCode, GraphError, invalidParameter } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const MAX_TIMEOUT_MS = 120_000;
export const MAX_LATENCY_MS = 60_000;
const METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH'];

export interface FaultRule {
  id: string;
  method?: string;
  path?: string;
  pathRegex?: RegExp;
  latencyMs: number;
  status?: number;
  code?: number;
  subcode?: number;
  details?: string;
  timeout: boolean;
  timeoutMs: number;
  errorRate?: number;
  every?: number;
  /** Failures left before the rule is spent. */
  burst?: number;
  seed: number;
  /** mulberry32 state, advanced once per draw. */
  rngState: number;
  matched: number;
  injected: number;
}

let nextRuleNumber = 1;

export function registerFaults(app: FastifyInstance, ctx: EmulatorContext): void {
  const held = new Set<Socket>();

  app.addHook('onRequest', async (request, reply) => {
    if (ctx.state.faults.size === 0) return;
    const path = (request.url.split('?')[0] ?? '/').replace(/(.)\/+$/, '$1');
    if (path.startsWith('/_emulator/') || path === '/_emulator' || path === '/healthz' || path === '/readyz') return;
    let latency = 0;
    let failing: FaultRule | undefined;
    for (const rule of [...ctx.state.faults.values()]) {
      if (!matches(rule, request.method, path)) continue;
      rule.matched++;
      latency += rule.latencyMs;
      if (!failing && decidesToFail(rule)) {
        failing = rule;
        rule.injected++;
        if (rule.burst !== undefined && --rule.burst <= 0) ctx.state.faults.delete(rule.id);
      }
    }
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    if (!failing) return;
    if (failing.timeout) {
      reply.hijack();
      const socket = request.raw.socket;
      held.add(socket);
      const drop = setTimeout(() => socket.destroy(), failing.timeoutMs);
      socket.once('close', () => {
        clearTimeout(drop);
        held.delete(socket);
      });
      return reply;
    }
    throw faultError(failing);
  });

  // Held requests would keep close() waiting for up to MAX_TIMEOUT_MS.
  app.addHook('preClose', (done) => {
    for (const socket of held) socket.destroy();
    held.clear();
    done();
  });

  app.post('/_emulator/faults', async (request) => {
    const body = request.body;
    const list: unknown[] = Array.isArray(body)
      ? body
      : body && typeof body === 'object' && Array.isArray((body as { rules?: unknown }).rules)
        ? (body as { rules: unknown[] }).rules
        : [body];
    const rules = list.map((item, i) => parseRule(item, list.length > 1 ? `rules[${i}].` : ''));
    for (const rule of rules) ctx.state.faults.set(rule.id, rule);
    return { rules: rules.map(presentRule) };
  });

  app.get('/_emulator/faults', async () => ({ rules: [...ctx.state.faults.values()].map(presentRule) }));

  app.delete('/_emulator/faults', async () => {
    const removed = ctx.state.faults.size;
    ctx.state.faults.clear();
    return { success: true, removed };
  });

  app.delete('/_emulator/faults/:id', async (request) => {
    const { id } = request.params as { id: string };
    if (!ctx.state.faults.delete(id)) throw invalidParameter(`No fault rule ${id}.`);
    return { success: true, removed: 1 };
  });
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method !== method) return false;
  return !rule.pathRegex || rule.pathRegex.test(path);
}

function decidesToFail(rule: FaultRule): boolean {
  const failure = rule.timeout || rule.status !== undefined || rule.code !== undefined;
  if (!failure) return false;
  if (rule.burst !== undefined) return rule.burst > 0;
  if (rule.every !== undefined) return rule.matched % rule.every === 0;
  if (rule.errorRate !== undefined) return nextRandom(rule) < rule.errorRate;
  return true;
}

/** mulberry32: tiny, fast and good enough for "fail 30 % of requests", repeatable from a seed. */
function nextRandom(rule: FaultRule): number {
  rule.rngState = (rule.rngState + 0x6d2b79f5) | 0;
  let t = rule.rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

function faultError(rule: FaultRule): GraphError {
  const status = rule.status;
  const code =
    rule.code ??
    (status === 429 ? ErrorCode.TooManyCalls : status === 500 || status === undefined ? ErrorCode.SomethingWentWrong : status >= 500 ? ErrorCode.ApiService : ErrorCode.InvalidParameter);
  return new GraphError(code, {
    ...(status !== undefined ? { http: status } : {}),
    ...(rule.subcode !== undefined ? { subcode: rule.subcode } : {}),
    details: rule.details ?? `Injected by the emulator's fault rule ${rule.id}.`,
  });
}

/** Route pattern ("/:id/messages", "*") or "^regex" to a RegExp over the version-less path. */
export function compilePath(path: string): RegExp {
  if (path.startsWith('^')) {
    try {
      return new RegExp(path);
    } catch {
      throw invalidParameter(`match.path "${path}" is not a valid regular expression.`);
    }
  }
  const withoutVersion = path.replace(/^\/v\d+\.\d+(?=\/|$)/, '');
  const normalised = withoutVersion.startsWith('/') ? withoutVersion : `/${withoutVersion}`;
  const source = normalised
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? '[^/]+' : segment.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*'),
    )
    .join('/');
  return new RegExp(`^${source || '/'}$`);
}

function parseRule(input: unknown, prefix: string): FaultRule {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw invalidParameter(`${prefix}A fault rule must be a JSON object.`);
  const raw = input as Record<string, unknown>;
  const match = (raw.match ?? {}) as Record<string, unknown>;
  if (typeof match !== 'object' || Array.isArray(match)) throw invalidParameter(`${prefix}match must be an object {method?, path?}.`);
  const int = (name: string, value: unknown, min: number, max: number): number | undefined => {
    if (value === undefined || value === null) return undefined;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw invalidParameter(`${prefix}${name} must be an integer from ${min} to ${max}.`);
    return n;
  };
  if (match.method !== undefined && typeof match.method !== 'string') throw invalidParameter(`${prefix}match.method must be a string.`);
  const method = typeof match.method === 'string' ? match.method.toUpperCase() : undefined;
  if (method !== undefined && !METHODS.includes(method)) throw invalidParameter(`${prefix}match.method must be one of ${METHODS.join(', ')}.`);
  if (match.path !== undefined && (typeof match.path !== 'string' || match.path === '')) throw invalidParameter(`${prefix}match.path must be a non-empty string.`);
  const path = match.path;
  let errorRate: number | undefined;
  if (raw.error_rate !== undefined) {
    errorRate = Number(raw.error_rate);
    if (!Number.isFinite(errorRate) || errorRate < 0 || errorRate > 1) throw invalidParameter(`${prefix}error_rate must be a number from 0 to 1.`);
  }
  if (raw.timeout !== undefined && typeof raw.timeout !== 'boolean') throw invalidParameter(`${prefix}timeout must be true or false.`);
  if (raw.details !== undefined && typeof raw.details !== 'string') throw invalidParameter(`${prefix}details must be a string.`);
  const seed = int('seed', raw.seed, 0, 2 ** 31 - 1) ?? randomInt(0, 2 ** 31 - 1);
  const rule: FaultRule = {
    id: `fault_${nextRuleNumber++}`,
    ...(method !== undefined ? { method } : {}),
    ...(path !== undefined ? { path, pathRegex: compilePath(path) } : {}),
    latencyMs: int('latency_ms', raw.latency_ms, 0, MAX_LATENCY_MS) ?? 0,
    timeout: raw.timeout === true,
    timeoutMs: int('timeout_ms', raw.timeout_ms, 1, MAX_TIMEOUT_MS) ?? DEFAULT_TIMEOUT_MS,
    seed,
    rngState: seed,
    matched: 0,
    injected: 0,
  };
  const status = int('status', raw.status, 400, 599);
  const code = int('code', raw.code, 0, 99_999_999);
  const subcode = int('error_subcode', raw.error_subcode, 0, 99_999_999);
  const every = int('every', raw.every, 1, 1_000_000);
  const burst = int('burst', raw.burst, 1, 1_000_000);
  if (status !== undefined) rule.status = status;
  if (code !== undefined) rule.code = code;
  if (subcode !== undefined) rule.subcode = subcode;
  if (every !== undefined) rule.every = every;
  if (burst !== undefined) rule.burst = burst;
  if (errorRate !== undefined) rule.errorRate = errorRate;
  if (typeof raw.details === 'string') rule.details = raw.details;
  const fails = rule.timeout || status !== undefined || code !== undefined;
  if (!fails && rule.latencyMs === 0) throw invalidParameter(`${prefix}A fault rule needs an effect: latency_ms, status, code or timeout.`);
  if ((errorRate !== undefined || every !== undefined || burst !== undefined) && !fails) {
    throw invalidParameter(`${prefix}error_rate, every and burst need a failure: status, code or timeout.`);
  }
  return rule;
}

function presentRule(rule: FaultRule) {
  return {
    id: rule.id,
    match: { ...(rule.method ? { method: rule.method } : {}), ...(rule.path ? { path: rule.path } : {}) },
    latency_ms: rule.latencyMs,
    ...(rule.timeout ? { timeout: true, timeout_ms: rule.timeoutMs } : {}),
    ...(rule.status !== undefined ? { status: rule.status } : {}),
    ...(rule.code !== undefined ? { code: rule.code } : {}),
    ...(rule.subcode !== undefined ? { error_subcode: rule.subcode } : {}),
    ...(rule.details !== undefined ? { details: rule.details } : {}),
    ...(rule.errorRate !== undefined ? { error_rate: rule.errorRate, seed: rule.seed } : {}),
    ...(rule.every !== undefined ? { every: rule.every } : {}),
    ...(rule.burst !== undefined ? { burst_remaining: rule.burst } : {}),
    matched: rule.matched,
    injected: rule.injected,
  };
}
