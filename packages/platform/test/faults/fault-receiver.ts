/**
 * A tenant's webhook receiver that can be down (503) or slow (answers after a delay), and that
 * records every status it was given: (platform message id, status) pairs, counted once however
 * many times they were delivered, and the number of deliveries including repeats.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startWebhookReceiver } from '@switchboard/runtime';

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
  const accept = (raw: Buffer): number => {
    let body: Envelope = {};
    try {
      body = JSON.parse(raw.toString('utf8')) as Envelope;
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
    return 200;
  };
  const server = await startWebhookReceiver({
    onPost: ({ raw }) => {
      if (receiver.mode === 'down') {
        receiver.refused++;
        return 503;
      }
      if (receiver.mode === 'slow') return sleep(receiver.slowMs).then(() => accept(raw));
      return accept(raw);
    },
  });
  receiver.url = server.url;
  receiver.close = () => server.close();
  return receiver;
}
