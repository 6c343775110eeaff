import { isConnectionError, VirtualClock } from '@switchboard/runtime';
import { describe, expect, it } from 'vitest';
import { retryOnConnectionError } from './retry-connection.js';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('isConnectionError', () => {
  it('knows a lost or refused connection from an error of the statement or of the pool closing', () => {
    for (const code of ['CONNECTION_CLOSED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006', '08001']) {
      expect(isConnectionError(withCode(code)), code).toBe(true);
    }
    for (const code of ['CONNECTION_ENDED', 'CONNECTION_DESTROYED', '23505', '40P01', '42601', '22P02']) {
      expect(isConnectionError(withCode(code)), code).toBe(false);
    }
    expect(isConnectionError(new Error('no code'))).toBe(false);
    expect(isConnectionError(undefined)).toBe(false);
  });
});

describe('retryOnConnectionError', () => {
  /** Runs `retry` on a frozen clock, moving it 100 ms whenever the retry waits, until it settles. */
  async function settle<T>(clock: VirtualClock, retry: Promise<T>): Promise<{ value?: T; error?: unknown }> {
    let done = false;
    const result = retry.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    void result.then(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!done) clock.advance(100);
    }
    return result;
  }

  it('tries again, after waits that double, while the connection fails; later tries are told', async () => {
    const clock = new VirtualClock({ frozen: true });
    const start = clock.now();
    const calls: Array<{ at: number; again: boolean }> = [];
    let firstFailures = 0;
    const { value } = await settle(
      clock,
      retryOnConnectionError(
        clock,
        start + 10_000,
        async (again) => {
          calls.push({ at: clock.now() - start, again });
          if (calls.length < 4) throw withCode('ECONNREFUSED');
          return 'recorded';
        },
        () => firstFailures++,
      ),
    );
    expect(value).toBe('recorded');
    expect(calls.map((c) => c.again)).toEqual([false, true, true, true]);
    // 100, 200, 400 ms apart (the clock moves in steps of 100 ms).
    expect(calls.map((c) => c.at)).toEqual([0, 100, 300, 700]);
    expect(firstFailures).toBe(1);
  });

  it('throws an error of the statement at once', async () => {
    const clock = new VirtualClock({ frozen: true });
    let tries = 0;
    const { error } = await settle(
      clock,
      retryOnConnectionError(clock, clock.now() + 10_000, async () => {
        tries++;
        throw withCode('23505');
      }, () => undefined),
    );
    expect(error).toMatchObject({ code: '23505' });
    expect(tries).toBe(1);
  });

  it('gives up with the last error when the next try would start past the deadline', async () => {
    const clock = new VirtualClock({ frozen: true });
    const start = clock.now();
    const at: number[] = [];
    const { error } = await settle(
      clock,
      retryOnConnectionError(clock, start + 2_000, async () => {
        at.push(clock.now() - start);
        throw withCode('57P01');
      }, () => undefined),
    );
    expect(error).toMatchObject({ code: '57P01' });
    // 0, 100, 300, 700, 1,500; the next (after 1 s) would be at 2,500.
    expect(at).toEqual([0, 100, 300, 700, 1_500]);
  });
});
