/**
 * A tenant's webhook receiver that can be down (503) or slow (answers after a delay), and that
 * records every status it was given: (platform message id, status) pairs, counted once however
 * many times they were delivered, and the number of deliveries including repeats.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultReceiver {
  url: string;
  mode: 'up' | 'down' | 'slow';
  /** How long a slow receiver takes to answer. */
  slowMs: number;
  /** Distinct statuses received, by message id. */
  statuses: Map<string, Set<string>>;
  /** Status changes received, repeats included. */
  deliveries: number;
  /** POSTs refused (503) while down. */
  refused: number;
  close(): Promise<void>;
}

interface Envelope {
  entry?: Array<{ changes?: Array<{ value?: { statuses?: Array<{ id?: unknown; status?: unknown }> } }> }>;
}

export async function startFaultReceiver(): Promise<FaultReceiver> {
  const receiver: FaultReceiver = {
    url: '',
    mode: 'up',
    slowMs: 2_000,
    statuses: new Map(),
    deliveries: 0,
    refused: 0,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(new URL(req.url ?? '/', 'http://x').searchParams.get('hub.challenge') ?? '');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (receiver.mode === 'down') {
        receiver.refused++;
        res.writeHead(503).end();
        return;
      }
      const accept = () => {
        let body: Envelope = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Envelope;
        } catch {
          // counted as nothing
        }
        for (const entry of body.entry ?? []) {
          for (const change of entry.changes ?? []) {
            for (const s of change.value?.statuses ?? []) {
              if (typeof s.id !== 'string' || typeof s.status !== 'string') continue;
              receiver.deliveries++;
              const seen = receiver.statuses.get(s.id) ?? new Set<string>();
              seen.add(s.status);
              receiver.statuses.set(s.id, seen);
            }
          }
        }
        res.writeHead(200).end('ok');
      };
      if (receiver.mode === 'slow') setTimeout(accept, receiver.slowMs);
      else accept();
    });
  });
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
