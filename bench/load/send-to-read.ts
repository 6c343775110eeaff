/**
 * End to end: messages sent through a server (the platform, or the emulator directly) until their
 * `read` status reaches the receiver. A window of permits bounds the messages between request and
 * read, so a backlog cannot build up and hide in queues; the rate at which reads arrive while the
 * senders are saturated is the sustained end-to-end rate. Then sending stops and the remaining
 * reads are awaited (bounded), so a lost message shows as a missing read.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { Latencies } from './histogram.js';
import type { EndToEndJob, EndToEndResult } from './protocol.js';
import { recipientFor, sendBody } from './send-body.js';
import type { StatusReceiver } from './status-receiver.js';

const REQUEST_TIMEOUT_MS = 30_000;

/** Counting semaphore whose waits give up at a deadline. */
class Permits {
  #free: number;
  #waiters: Array<() => void> = [];

  constructor(count: number) {
    this.#free = count;
  }

  async acquire(deadline: number): Promise<boolean> {
    while (this.#free === 0) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.#free--;
    return true;
  }

  release(): void {
    this.#free++;
    this.#waiters.shift()?.();
  }
}

/** Spaces sends per number at `mps` (a send may start no earlier than 1/mps after the previous one). */
class Pacer {
  readonly #next: number[];

  constructor(
    numbers: number,
    private readonly mps: number,
  ) {
    this.#next = Array.from({ length: numbers }, () => 0);
  }

  async take(which: number): Promise<void> {
    if (this.mps <= 0) return;
    const now = performance.now();
    const at = Math.max(now, this.#next[which]!);
    this.#next[which] = at + 1_000 / this.mps;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}

export async function runSendToRead(job: EndToEndJob, receiver: StatusReceiver): Promise<EndToEndResult> {
  const pool = new Pool(job.origin, {
    connections: job.connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
  const permits = new Permits(job.window);
  const pacer = new Pacer(job.senders.length, job.paceMps);
  const paths = job.senders.map((s) => `/v23.0/${s.phoneNumberId}/messages`);
  const headers = job.senders.map((s) => ({ authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }));
  const startedAt = new Map<string, number>();
  const early = new Map<string, number>();
  const latencies = new Latencies();
  const failures: Record<string, number> = {};
  let accepted = 0;
  let throttled = 0;
  let readsInWindow = 0;
  let next = 0;

  const start = performance.now();
  const measureFrom = start + job.warmupMs;
  const sendEnd = measureFrom + job.durationMs;
  const statusesBefore = { ...receiver.statuses };
  const postsBefore = receiver.posts;

  const read = (id: string, at: number, t0: number) => {
    startedAt.delete(id);
    latencies.add(at - t0);
    if (at >= measureFrom && at <= sendEnd) readsInWindow++;
    permits.release();
  };
  receiver.onRead = (id, at) => {
    const t0 = startedAt.get(id);
    if (t0 !== undefined) read(id, at, t0);
    else if (early.size < 100_000) early.set(id, at);
  };

  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (performance.now() < sendEnd) {
        if (!(await permits.acquire(sendEnd))) break;
        const n = next++;
        const which = n % job.senders.length;
        await pacer.take(which);
        const t0 = performance.now();
        let status = 'error';
        let text = '';
        try {
          const response = await pool.request({
            path: paths[which]!,
            method: 'POST',
            headers: headers[which]!,
            body: sendBody(recipientFor(job.recipientBlock, n), `E${n}`),
          });
          text = await response.body.text();
          status = String(response.statusCode);
        } catch {
          status = 'error';
        }
        const id = status === '200' ? (JSON.parse(text) as { messages?: Array<{ id?: string }> }).messages?.[0]?.id : undefined;
        if (id) {
          accepted++;
          const arrived = early.get(id);
          if (arrived !== undefined) {
            early.delete(id);
            read(id, arrived, t0);
          } else {
            startedAt.set(id, t0);
          }
          continue;
        }
        permits.release();
        if (text.includes('130429')) throttled++;
        else failures[status] = (failures[status] ?? 0) + 1;
        await new Promise((resolve) => setTimeout(resolve, status === 'error' ? 10 : 50));
      }
    }),
  );
  await pool.close();
  // Reads still owed: wait for them, but not forever.
  const drainUntil = performance.now() + job.drainMs;
  while (startedAt.size > 0 && performance.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 100));
  receiver.onRead = () => undefined;

  const statusesReceived: Record<string, number> = {};
  for (const [status, count] of Object.entries(receiver.statuses)) {
    const delta = count - (statusesBefore[status] ?? 0);
    if (delta > 0) statusesReceived[status] = delta;
  }
  const seconds = job.durationMs / 1_000;
  return {
    kind: 'e2e',
    accepted,
    failures,
    throttled,
    readsInWindow,
    seconds,
    mps: Math.round(readsInWindow / seconds),
    missingReads: startedAt.size,
    latencyMs: latencies.percentiles(),
    window: job.window,
    statusPosts: receiver.posts - postsBefore,
    statusesReceived,
  };
}
