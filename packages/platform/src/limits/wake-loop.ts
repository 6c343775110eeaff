/**
 * The shape the limits workers share (as the inbound processor's): one run at a time, woken by
 * LISTEN/NOTIFY on a channel, by a timer set on the virtual clock for the next known due time,
 * and by a slow real-time sweep as a safety net. A wake during a run makes the loop run again.
 */
import type { PlatformContext } from '../context.js';

export interface WakeLoop {
  /** Run soon (again, if running). */
  poke(): void;
  /** Run at virtual time `at` (the earliest pending request wins). */
  wakeAt(at: number): void;
  /** Resolves when the current run, if any, is over (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startWakeLoop(
  ctx: PlatformContext,
  options: { channel: string; sweepMs: number; name: string; run: () => Promise<void> },
): Promise<WakeLoop> {
  let running: Promise<void> | undefined;
  let again = false;
  let closing = false;
  let cancelTimer: (() => void) | undefined;
  let timerAt = Infinity;

  const poke = (): void => {
    if (closing) return;
    if (running) {
      again = true;
      return;
    }
    running = options
      .run()
      .catch((err: unknown) => ctx.logger.error({ err }, `${options.name} failed; will retry`))
      .finally(() => {
        running = undefined;
        if (again && !closing) {
          again = false;
          poke();
        }
      });
  };
  const wakeAt = (at: number): void => {
    if (closing || at >= timerAt) return;
    cancelTimer?.();
    timerAt = at;
    cancelTimer = ctx.clock.at(at, () => {
      cancelTimer = undefined;
      timerAt = Infinity;
      poke();
    });
  };
  const listener = await ctx.sql.listen(options.channel, () => poke(), () => poke());
  const sweep = setInterval(poke, options.sweepMs);
  sweep.unref();
  poke();
  return {
    poke,
    wakeAt,
    idle: async () => {
      while (running) await running;
    },
    async close() {
      closing = true;
      clearInterval(sweep);
      cancelTimer?.();
      await listener.unlisten().catch(() => undefined);
      while (running) await running;
    },
  };
}
