/**
 * The skeleton of a webhook endpoint in Meta's style, for every receiver the project runs itself:
 * the demo tenant's endpoint in `switchboard dev`, the benchmark's and the fault suite's tenant
 * receivers, and the tests' receivers. It answers the verification handshake
 * (`GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` → the challenge, or 403), reads
 * each POST's raw body and answers with the status its handler returns (after a delay, if the
 * handler's promise takes one). What a receiver records is its handler's business.
 *
 * @example
 *   const hook = await startWebhookReceiver({ onPost: ({ raw }) => (seen.push(raw), 200) });
 *   // PUT hook.url as the tenant's webhook; … later
 *   await hook.close();
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookPost {
  raw: Buffer;
  headers: IncomingHttpHeaders;
  url: URL;
}

export interface WebhookReceiverOptions {
  /** Default 0 (any free port) on 127.0.0.1. */
  port?: number;
  host?: string;
  /** The path in the returned URL (any path is served). Default `/hook`. */
  path?: string;
  /** Which verify tokens the handshake accepts; default any. Called with every handshake's query. */
  verify?: (token: string | null, query: URLSearchParams) => boolean;
  /** A GET that is not a handshake (no hub.mode=subscribe); default: treated as a handshake. */
  onGet?: (url: URL) => { status: number; contentType: string; body: string };
  /** Each POST: the status to answer with. */
  onPost: (post: WebhookPost) => number | Promise<number>;
}

export interface WebhookReceiverServer {
  url: string;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiverServer> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    if (req.method === 'GET') {
      if (options.onGet && url.searchParams.get('hub.mode') !== 'subscribe') {
        const answer = options.onGet(url);
        res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
        return;
      }
      const ok = options.verify?.(url.searchParams.get('hub.verify_token'), url.searchParams) ?? true;
      res.writeHead(ok ? 200 : 403, { 'content-type': 'text/plain' }).end(ok ? (url.searchParams.get('hub.challenge') ?? '') : 'forbidden');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number) => void res.writeHead(status).end(status < 300 ? 'ok' : '');
      const status = options.onPost({ raw: Buffer.concat(chunks), headers: req.headers, url });
      if (typeof status === 'number') answer(status);
      else status.then(answer, () => answer(500));
    });
  });
  // Senders keep connections alive between POSTs (undici's default is 4 s idle).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${options.path ?? '/hook'}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
