/**
 * Writes that record what only this process knows (Meta's answers to a round of sends, a tenant
 * receiver's answer to a POST) are tried again when they fail with their connection — PostgreSQL
 * restarting, a failover — rather than dropped, which would leave the work to be done twice.
 */
import { isConnectionError, type Clock } from '@switchboard/runtime';

const FIRST_WAIT_MS = 100;
const MAX_WAIT_MS = 1_000;

/**
 * Runs `write` until it succeeds, fails otherwise than with its connection, or the next try would
 * start after `giveUpAt` (then its last error is thrown). Waits 100 ms, doubling to 1 s, on `clock`
 * (the pool reconnects meanwhile). `write` is told whether an earlier try failed: that try may have
 * committed before its connection went, so it must not write twice.
 */
export async function retryOnConnectionError<T>(
  clock: Clock,
  giveUpAt: number,
  write: (again: boolean) => Promise<T>,
  onFirstFailure: (err: unknown) => void,
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await write(tries > 1);
    } catch (err) {
      const wait = Math.min(FIRST_WAIT_MS * 2 ** (tries - 1), MAX_WAIT_MS);
      if (!isConnectionError(err) || clock.now() + wait > giveUpAt) throw err;
      if (tries === 1) onFirstFailure(err);
      await new Promise<void>((resolve) => clock.at(clock.now() + wait, resolve));
    }
  }
}
