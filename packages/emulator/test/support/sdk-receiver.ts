/**
 * A webhook endpoint as an app built on whatsapp-api-js would run it: Meta's GET handshake is
 * answered by the SDK's own node:http middleware (`handle_get`, which checks hub.verify_token),
 * and every POST is kept byte for byte with its headers so each SDK's signature verifier can be
 * run over exactly what arrived.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WhatsAppAPI } from 'whatsapp-api-js/middleware/node-http';

export interface ReceivedPost {
  headers: IncomingHttpHeaders;
  /** The body as sent, undecoded (Meta's are ASCII-only JSON). */
  raw: Buffer;
}

export interface SdkReceiver {
  url: string;
  posts: ReceivedPost[];
  /** Status codes the SDK's handshake handler answered with. */
  handshakes: number[];
  close(): Promise<void>;
}

export async function startSdkReceiver(verifyToken: string): Promise<SdkReceiver> {
  // The token is never used: this instance only answers handshakes.
  const sdk = new WhatsAppAPI({ token: 'unused', webhookVerifyToken: verifyToken, secure: false, v: 'v23.0' });
  const posts: ReceivedPost[] = [];
  const handshakes: number[] = [];
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET') {
      try {
        const challenge = sdk.handle_get(req);
        handshakes.push(200);
        res.writeHead(200, { 'content-type': 'text/plain' }).end(challenge);
      } catch (status) {
        const code = typeof status === 'number' ? status : 500;
        handshakes.push(code);
        res.writeHead(code).end();
      }
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      posts.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/whatsapp/webhook`,
    posts,
    handshakes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The change values of one field across every POST received, in arrival order. */
export function changeValues(posts: ReceivedPost[], field: string): Array<Record<string, unknown>> {
  const values: Array<Record<string, unknown>> = [];
  for (const post of posts) {
    const body = JSON.parse(post.raw.toString('utf8')) as { entry?: Array<{ changes?: Array<{ field: string; value: Record<string, unknown> }> }> };
    for (const entry of body.entry ?? []) for (const change of entry.changes ?? []) if (change.field === field) values.push(change.value);
  }
  return values;
}
