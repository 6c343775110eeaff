/**
 * Time for every piece of logic comes from a Clock, never from Date.now() directly,
 * so tests move a day forward in a millisecond instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `fn` once the clock reaches `atMs`; returns a function that cancels it. */
  at(atMs: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  at(atMs, fn) {
    const handle = setTimeout(fn, Math.max(0, atMs - Date.now()));
    handle.unref();
    return () => clearTimeout(handle);
  },
};

/** Unix seconds, the unit Meta's webhooks use for timestamps. */
export function unixSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
