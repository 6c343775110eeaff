/**
 * Shared by this module's tests: a running emulator on a frozen virtual clock, a Graph client that
 * returns status and JSON, and a local webhook receiver that answers Meta's handshake.
 */
import { startWebhookReceiver, VirtualClock } from '@switchboard/runtime';
import { createEmulator, type Emulator } from '../emulator.js';
import type { FixtureResult } from '../control/fixtures.js';

/** A parsed JSON body, typed as JSON.parse types it, so tests read response bodies freely. */
export type Parsed = ReturnType<typeof JSON.parse>;

export interface TestEmulator {
  emu: Emulator;
  url: string;
  clock: VirtualClock;
  call(method: string, path: string, options?: { token?: string; json?: unknown; form?: Record<string, string> }): Promise<{ status: number; body: Parsed }>;
  fixture(body?: Record<string, unknown>): Promise<FixtureResult>;
  close(): Promise<void>;
}

export async function startEmulator(): Promise<TestEmulator> {
  const clock = new VirtualClock({ frozen: true, startMs: Date.UTC(2025, 8, 1) });
  const emu = createEmulator({ clock, webhookTimeoutMs: 2_000 });
  const url = await emu.listen(0);
  const call: TestEmulator['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const response = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    emu,
    url,
    clock,
    call,
    async fixture(body = {}) {
      const res = await call('POST', '/_emulator/fixtures', { json: body });
      if (res.status !== 200) throw new Error(`fixture failed: ${JSON.stringify(res.body)}`);
      return res.body as FixtureResult;
    },
    close: () => emu.close(),
  };
}

export interface Receiver {
  url: string;
  /** Webhook POST bodies received, parsed. */
  posts: Parsed[];
  /** Handshake GETs received (their query parameters). */
  handshakes: URLSearchParams[];
  close(): Promise<void>;
}

/** A webhook endpoint that answers the handshake when hub.verify_token equals `verifyToken`. */
export async function startReceiver(verifyToken: string): Promise<Receiver> {
  const posts: Parsed[] = [];
  const handshakes: URLSearchParams[] = [];
  const server = await startWebhookReceiver({
    path: '/webhook',
    verify: (token, query) => {
      handshakes.push(query);
      return query.get('hub.mode') === 'subscribe' && token === verifyToken;
    },
    onPost: ({ raw }) => {
      posts.push(JSON.parse(raw.toString('utf8')));
      return 200;
    },
  });
  return { url: server.url, posts, handshakes, close: () => server.close() };
}

/** Every change of one field across the received webhook bodies. */
export function changesOf(posts: Parsed[], field: string): Parsed[] {
  const values: Parsed[] = [];
  for (const post of posts) for (const entry of post.entry) for (const change of entry.changes) if (change.field === field) values.push(change.value);
  return values;
}
