/**
 * The demo tenant's webhook endpoint in `switchboard dev`: checks each delivery's
 * X-Hub-Signature-256 with the tenant's webhook secret, answers Meta's verification handshake,
 * prints one line per event, and keeps the last events for GET / (JSON).
 */
import { startWebhookReceiver } from '@switchboard/runtime';
import { SIGNATURE_HEADER, verifySignature } from '@switchboard/wire';

export interface DemoReceiver {
  url: string;
  close(): Promise<void>;
}

const KEEP = 200;

export async function startDemoReceiver(options: {
  port: number;
  host: string;
  secret: () => string;
  verifyToken: string;
  print: (line: string) => void;
}): Promise<DemoReceiver> {
  const events: unknown[] = [];
  const server = await startWebhookReceiver({
    port: options.port,
    host: options.host,
    path: '/webhook',
    verify: (token) => token === options.verifyToken,
    onGet: () => ({ status: 200, contentType: 'application/json', body: JSON.stringify({ events }, null, 2) }),
    onPost: ({ raw, headers }) => {
      const header = headers[SIGNATURE_HEADER];
      if (!verifySignature(raw, typeof header === 'string' ? header : undefined, options.secret())) {
        options.print('demo webhook: refused a delivery with a bad signature');
        return 401;
      }
      try {
        const body = JSON.parse(raw.toString('utf8')) as { entry?: Array<{ changes?: Change[] }> };
        for (const change of (body.entry ?? []).flatMap((e) => e.changes ?? [])) {
          events.push(change);
          if (events.length > KEEP) events.shift();
          options.print(describe(change));
        }
      } catch {
        options.print('demo webhook: a delivery that is not JSON');
      }
      return 200;
    },
  });
  return server;
}

interface Change {
  field: string;
  value?: {
    statuses?: Array<{ id: string; status: string; errors?: Array<{ code: number }> }>;
    messages?: Array<{ from: string; type: string; text?: { body?: string }; button?: { text?: string }; interactive?: { type?: string } }>;
  };
}

function describe(change: Change): string {
  const v = change.value ?? {};
  if (change.field === 'messages' && Array.isArray(v.statuses)) {
    return v.statuses.map((s) => `webhook ← status ${s.status} for ${s.id}${s.errors ? ` (error ${s.errors[0]?.code})` : ''}`).join('\n');
  }
  if (change.field === 'messages' && Array.isArray(v.messages)) {
    return v.messages
      .map((m) => `webhook ← message from ${m.from}: ${m.text?.body ?? m.button?.text ?? m.interactive?.type ?? m.type}`)
      .join('\n');
  }
  return `webhook ← ${change.field}`;
}
