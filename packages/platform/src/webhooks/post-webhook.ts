/**
 * The one POST to a tenant's URL: signed body, a real-time timeout (a receiver that hangs holds a
 * socket whatever the platform clock says), no redirects followed, and the outcome classified:
 * 2xx delivered; anything else, a connection error or the timeout is a failure to retry.
 */
import { performance } from 'node:perf_hooks';
import { request, type Dispatcher } from 'undici';

export const DELIVERY_TIMEOUT_MS = 10_000;
const ERROR_SNIPPET = 200;

export interface PostOutcome {
  outcome: 'delivered' | 'failed' | 'timeout';
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export async function postWebhook(
  agent: Dispatcher,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<PostOutcome> {
  // Duration is a measurement of the receiver, so it is taken from the real clock.
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await request(url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    if (ok) {
      await response.body.dump();
      return { outcome: 'delivered', statusCode: response.statusCode, error: null, durationMs: elapsed() };
    }
    const text = await snippet(response.body);
    return {
      outcome: 'failed',
      statusCode: response.statusCode,
      error: `HTTP ${response.statusCode}${text ? `: ${text}` : ''}`,
      durationMs: elapsed(),
    };
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string };
    const timedOut = e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT';
    return {
      outcome: timedOut ? 'timeout' : 'failed',
      statusCode: null,
      error: timedOut ? `no answer within ${timeoutMs} ms` : `${e.code ?? e.name ?? 'error'}: ${e.message ?? String(err)}`.slice(0, 500),
      durationMs: elapsed(),
    };
  }
}

/** The start of an error answer, for the delivery log; the rest is not read. */
async function snippet(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= ERROR_SNIPPET) break;
    }
  } catch {
    // The answer's status is what counts; a broken body adds nothing to it.
  }
  body.destroy();
  return Buffer.concat(chunks).toString('utf8').slice(0, ERROR_SNIPPET).trim();
}
