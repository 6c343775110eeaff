/**
 * Accept throughput: `connections` keep-alive connections (undici Pool), each with one request
 * outstanding at all times, for a warm-up and then a measured interval. Requests that start in the
 * measured interval are counted; their latency is from the start of the request to the last byte
 * of the answer. Every loop ends at the deadline: nothing runs past warm-up + duration (+ the last
 * answers, bounded by the request timeout).
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { Latencies } from './histogram.js';
import type { LoadJob, LoadResult } from './protocol.js';
import { recipientFor, sendBody } from './send-body.js';

const REQUEST_TIMEOUT_MS = 30_000;

export async function runClosedLoop(job: LoadJob): Promise<LoadResult> {
  const pool = new Pool(job.origin, {
    connections: job.connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
  const paths = job.senders.map((s) => `/v23.0/${s.phoneNumberId}/messages`);
  const headers = job.senders.map((s) => ({ authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }));
  const latencies = new Latencies();
  const failures: Record<string, number> = {};
  let next = 0;
  let warmupRequests = 0;
  let lastAnswer = 0;
  let failureSample: string | undefined;
  const start = performance.now();
  const measureFrom = start + job.warmupMs;
  const end = measureFrom + job.durationMs;

  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (performance.now() < end) {
        const n = next++;
        const which = n % job.senders.length;
        const body = sendBody(recipientFor(job.recipientBlock, n), `L${n}`);
        const t0 = performance.now();
        let status: string;
        try {
          const response = await pool.request({ path: paths[which]!, method: 'POST', headers: headers[which]!, body });
          const text = await response.body.text();
          status = String(response.statusCode);
          if (status !== '200') failureSample ??= `${status} ${text.slice(0, 300)}`;
        } catch (err) {
          status = 'error';
          failureSample ??= `no answer: ${err instanceof Error ? err.message : String(err)}`;
        }
        const t1 = performance.now();
        if (t0 < measureFrom) {
          warmupRequests++;
        } else {
          latencies.add(t1 - t0);
          lastAnswer = Math.max(lastAnswer, t1);
          if (status !== '200') failures[status] = (failures[status] ?? 0) + 1;
        }
        // A refused connection must not turn this loop into a busy spin.
        if (status === 'error') await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }),
  );
  await pool.close();
  const seconds = Math.max(0.001, (lastAnswer - measureFrom) / 1_000);
  return {
    kind: 'load',
    requests: latencies.count,
    failures,
    seconds: Math.round(seconds * 1_000) / 1_000,
    rps: Math.round(latencies.count / seconds),
    latencyMs: latencies.percentiles(),
    warmupRequests,
    ...(failureSample !== undefined ? { failureSample } : {}),
  };
}
