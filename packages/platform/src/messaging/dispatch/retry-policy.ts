/**
 * What to do with Meta's answer to a send. Throttling (130429, 131056) reschedules without
 * counting against the message; timeouts, unsent requests and transient errors retry with
 * exponential backoff and jitter up to MAX_ATTEMPTS, then fail; permanent errors fail at once.
 */
import { ErrorCode, errorSpec } from '@switchboard/wire';
import type { GraphOutcome } from '../../graph/graph-client.js';

export const MAX_ATTEMPTS = 10;
export const MAX_THROTTLED = 50;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 10 * 60_000;

export type Decision =
  | { kind: 'sent'; metaWamid: string }
  | { kind: 'retry'; delayMs: number; reason: string; throttle?: 'number' | 'pair'; code?: number }
  | { kind: 'failed'; code: number; title: string; details: string };

export function backoff(attempt: number, random: number = Math.random()): number {
  const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.5 + random / 2));
}

/** `attempt` is the number of this attempt (1 for the first). */
export function decide(outcome: GraphOutcome, attempt: number): Decision {
  switch (outcome.kind) {
    case 'ok': {
      const id = (outcome.body.messages as Array<{ id?: unknown }> | undefined)?.[0]?.id;
      if (typeof id === 'string' && id) return { kind: 'sent', metaWamid: id };
      return { kind: 'failed', code: ErrorCode.ApiUnknown, title: 'Unexpected answer', details: 'Meta answered 200 without a message id.' };
    }
    case 'unsent':
    case 'unknown':
      return attempt >= MAX_ATTEMPTS
        ? { kind: 'failed', code: ErrorCode.ServiceUnavailable, title: 'Meta unreachable', details: outcome.reason }
        : { kind: 'retry', delayMs: backoff(attempt), reason: outcome.kind };
    case 'error': {
      const code = outcome.error.code;
      const details = outcome.error.error_data?.details ?? outcome.error.message;
      if (code === ErrorCode.RateLimitHit || code === ErrorCode.PairRateLimit) {
        if (attempt >= MAX_THROTTLED) return { kind: 'failed', code, title: errorSpec(code).title, details };
        const pair = code === ErrorCode.PairRateLimit;
        // Meta's advice for the pair limit: wait 4^X seconds.
        const delayMs = pair ? Math.min(MAX_DELAY_MS, 4 ** Math.min(attempt, 6) * 1_000) : 1_000;
        return { kind: 'retry', delayMs, reason: String(code), throttle: pair ? 'pair' : 'number', code };
      }
      if (outcome.retryable && attempt < MAX_ATTEMPTS) return { kind: 'retry', delayMs: backoff(attempt), reason: String(code), code };
      return { kind: 'failed', code, title: errorSpec(code).title, details };
    }
  }
}
