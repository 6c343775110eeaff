import { describe, expect, it } from 'vitest';
import { backoff, decide, MAX_ATTEMPTS } from './retry-policy.js';

const error = (code: number, status = 400, retryable = false) =>
  ({ kind: 'error', status, error: { message: `(#${code})`, type: 'OAuthException', code, fbtrace_id: 'x' }, retryable }) as const;

describe('retry policy', () => {
  it('takes Meta’s id on success', () => {
    expect(decide({ kind: 'ok', status: 200, body: { messages: [{ id: 'wamid.X' }] } }, 1)).toEqual({ kind: 'sent', metaWamid: 'wamid.X' });
  });

  it('reschedules throttling without failing it', () => {
    expect(decide(error(130429, 400, true), 3)).toMatchObject({ kind: 'retry', throttle: 'number' });
    expect(decide(error(131056, 400, true), 2)).toMatchObject({ kind: 'retry', throttle: 'pair', delayMs: 16_000 });
  });

  it('retries transient failures up to the limit, then fails', () => {
    expect(decide(error(131000, 500, true), 1)).toMatchObject({ kind: 'retry' });
    expect(decide({ kind: 'unknown', reason: 'timeout' }, 2)).toMatchObject({ kind: 'retry', reason: 'unknown' });
    expect(decide({ kind: 'unknown', reason: 'timeout' }, MAX_ATTEMPTS)).toMatchObject({ kind: 'failed' });
  });

  it('fails permanent errors at once', () => {
    expect(decide(error(131009), 1)).toMatchObject({ kind: 'failed', code: 131009 });
    expect(decide(error(132001, 404), 1)).toMatchObject({ kind: 'failed', code: 132001 });
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoff(1, 1)).toBe(1_000);
    expect(backoff(3, 1)).toBe(4_000);
    expect(backoff(3, 0)).toBe(2_000);
    expect(backoff(40, 1)).toBe(600_000);
  });
});
