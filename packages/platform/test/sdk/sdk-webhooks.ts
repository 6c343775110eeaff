/**
 * A tenant's webhook endpoint built the way an app on these SDKs builds it: whatsapp-api-js's
 * node:http middleware answers the GET handshake (it checks hub.verify_token), POSTs are kept byte
 * for byte, and each SDK's own verifier is run over the raw body and X-Hub-Signature-256.
 * (The emulator's compatibility tests have the same pair; packages keep their test helpers apart.)
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import GreatDetail from '@great-detail/whatsapp';
import { verifySignature as kapsoVerifySignature } from '@kapso/whatsapp-cloud-api/server';
import { WhatsAppAPI } from 'whatsapp-api-js';
import { WhatsAppAPI as WhatsAppAPIForNodeHttp } from 'whatsapp-api-js/middleware/node-http';

export interface ReceivedPost {
  headers: IncomingHttpHeaders;
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
  const sdk = new WhatsAppAPIForNodeHttp({ token: 'unused', webhookVerifyToken: verifyToken, secure: false, v: 'v23.0' });
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

export type VerifierName = 'whatsapp-api-js' | '@kapso/whatsapp-cloud-api' | '@great-detail/whatsapp';

function signatureOf(headers: IncomingHttpHeaders): string {
  const signature = headers['x-hub-signature-256'];
  if (typeof signature !== 'string') throw new Error('the webhook POST has no X-Hub-Signature-256 header');
  return signature;
}

/** Whether each SDK's verifier accepts `raw` as signed with `secret`. */
export async function verifyWithEverySdk(raw: Buffer, headers: IncomingHttpHeaders, secret: string): Promise<Record<VerifierName, boolean>> {
  const signature = signatureOf(headers);
  const text = raw.toString('utf8');
  const stringHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
  const event = await new GreatDetail().webhook.eventNotification({ method: 'POST', query: {}, body: text, headers: stringHeaders });
  return {
    'whatsapp-api-js': await new WhatsAppAPI({ token: 'unused', appSecret: secret, v: 'v23.0' }).verifyRequestSignature(text, signature),
    '@kapso/whatsapp-cloud-api': kapsoVerifySignature({ appSecret: secret, rawBody: raw, signatureHeader: signature }),
    '@great-detail/whatsapp': await event.checkSignature(secret),
  };
}

/** What whatsapp-api-js's secure `post()` hands `on.message` (it throws on a bad signature). */
export async function messagesSeenByWhatsappApiJs(raw: Buffer, headers: IncomingHttpHeaders, secret: string): Promise<Array<{ from: string; text: string | undefined }>> {
  const sdk = new WhatsAppAPI({ token: 'unused', appSecret: secret, v: 'v23.0' });
  const seen: Array<{ from: string; text: string | undefined }> = [];
  sdk.on.message = ({ from, message }) => {
    seen.push({ from, text: message.type === 'text' ? message.text.body : undefined });
  };
  const text = raw.toString('utf8');
  await sdk.post(JSON.parse(text), text, signatureOf(headers));
  return seen;
}
