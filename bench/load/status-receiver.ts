/**
 * The tenant's webhook receiver (and, for the direct baseline, the Meta app's callback): answers
 * the verification handshake, takes status webhooks in Meta's format, and reports every `read` to
 * whoever is waiting for it. Signatures are not checked: the receiver measures, it does not guard.
 */
import { performance } from 'node:perf_hooks';
import { startWebhookReceiver } from '@switchboard/runtime';

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
  const count = (raw: Buffer, at: number) => {
    let body: Envelope;
    try {
      body = JSON.parse(raw.toString('utf8')) as Envelope;
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
  };
  const server = await startWebhookReceiver({
    onPost: ({ raw }) => {
      const at = performance.now();
      receiver.posts++;
      // Answered first, read after: the sender's POST is not held up by the counting.
      queueMicrotask(() => count(raw, at));
      return 200;
    },
  });
  receiver.url = server.url;
  receiver.close = () => server.close();
  return receiver;
}
