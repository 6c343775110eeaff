/** A tenant's webhook receiver for tests: a real HTTP server on a loopback port that records POSTs. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- webhook values are arbitrary JSON
  body: { object?: string; entry?: Array<{ id: string; changes: Array<{ field: string; value: any }> }> };
}

export interface Receiver {
  url: string;
  received: Received[];
  /** While false, every POST answers 503. */
  up: boolean;
  /** Every change value of every POST, in arrival order. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- webhook values are arbitrary JSON
  changes(): Array<{ field: string; value: any }>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const state = { up: true };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(url.searchParams.get('hub.challenge') ?? '');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!state.up) {
        res.writeHead(503).end();
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, raw, body: JSON.parse(raw) as Received['body'] });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    get up() {
      return state.up;
    },
    set up(value: boolean) {
      state.up = value;
    },
    changes: () => received.flatMap((r) => (r.body.entry ?? []).flatMap((e) => e.changes)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
