/**
 * The tenant's webhook receiver (and, for the direct baseline, the Meta app's callback): answers
 * the verification handshake, takes status webhooks in Meta's format, and reports every `read` to
 * whoever is waiting for it. Signatures are not checked: the receiver measures, it does not guard.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface StatusReceiver {
  url: string;
  /** Called with the status's message id and the arrival time (performance.now()). */
  onRead: (id: string, at: number) => void;
  posts: number;
  statuses: Record<string, number>;
  close(): Promise<void>;
}

interface Envelope {
  entry?: Array<{ changes?: Array<{ value?: { statuses?: Array<{ id?: unknown; status?: unknown }> } }> }>;
}

export async function startStatusReceiver(): Promise<StatusReceiver> {
  const receiver: StatusReceiver = {
    url: '',
    onRead: () => undefined,
    posts: 0,
    statuses: {},
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET') {
      const challenge = new URL(req.url ?? '/', 'http://x').searchParams.get('hub.challenge') ?? '';
      res.writeHead(200, { 'content-type': 'text/plain' }).end(challenge);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      res.writeHead(200).end('ok');
      receiver.posts++;
      let body: Envelope;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Envelope;
      } catch {
        return;
      }
      for (const entry of body.entry ?? []) {
        for (const change of entry.changes ?? []) {
          for (const s of change.value?.statuses ?? []) {
            const status = String(s.status);
            receiver.statuses[status] = (receiver.statuses[status] ?? 0) + 1;
            if (status === 'read' && typeof s.id === 'string') receiver.onRead(s.id, at);
          }
        }
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/hook`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
