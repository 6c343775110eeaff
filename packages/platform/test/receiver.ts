/** A tenant's webhook receiver for tests: a real HTTP server on a loopback port that records POSTs. */
import { startWebhookReceiver } from '@switchboard/runtime';

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
  const server = await startWebhookReceiver({
    onPost: ({ raw, headers }) => {
      if (!state.up) return 503;
      const text = raw.toString('utf8');
      received.push({ headers, raw: text, body: JSON.parse(text) as Received['body'] });
      return 200;
    },
  });
  return {
    url: server.url,
    received,
    get up() {
      return state.up;
    },
    set up(value: boolean) {
      state.up = value;
    },
    changes: () => received.flatMap((r) => (r.body.entry ?? []).flatMap((e) => e.changes)),
    close: () => server.close(),
  };
}
