/**
 * A clock that runs with real time plus an offset that can be pushed forward (advance),
 * or stands still until pushed (frozen). Timers fire in due order when the clock passes them,
 * whether by real time or by advance(); one set for a time already passed fires at once (on the
 * next turn of the event loop), frozen or not. The emulator and the platform's tests use it.
 */
import type { Clock } from './clock.js';

interface Timer {
  atMs: number;
  seq: number;
  fn: () => void;
}

export class VirtualClock implements Clock {
  #offsetMs = 0;
  #frozenAt: number | undefined;
  #timers: Timer[] = [];
  #seq = 0;
  #wake: NodeJS.Timeout | undefined;

  constructor(options: { frozen?: boolean; startMs?: number } = {}) {
    if (options.frozen) this.#frozenAt = options.startMs ?? Date.now();
    else if (options.startMs !== undefined) this.#offsetMs = options.startMs - Date.now();
  }

  now(): number {
    return this.#frozenAt ?? Date.now() + this.#offsetMs;
  }

  get frozen(): boolean {
    return this.#frozenAt !== undefined;
  }

  at(atMs: number, fn: () => void): () => void {
    const timer: Timer = { atMs, seq: this.#seq++, fn };
    this.#timers.push(timer);
    this.#timers.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    this.#arm();
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
      this.#arm();
    };
  }

  /** Moves the clock forward and runs every timer that falls due, in order. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('the clock only moves forward');
    if (this.#frozenAt !== undefined) this.#frozenAt += ms;
    else this.#offsetMs += ms;
    this.#runDue();
  }

  /** Number of timers still waiting, for tests and the control API. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Cancels every timer, e.g. on emulator reset or shutdown. */
  clear(): void {
    this.#timers = [];
    this.#arm();
  }

  #runDue(): void {
    // A timer may schedule another that is already due; keep going until none is.
    for (;;) {
      const next = this.#timers[0];
      if (!next || next.atMs > this.now()) break;
      this.#timers.shift();
      next.fn();
    }
    this.#arm();
  }

  #arm(): void {
    if (this.#wake) clearTimeout(this.#wake);
    this.#wake = undefined;
    const next = this.#timers[0];
    if (!next) return;
    const wait = next.atMs - this.now();
    // Frozen, the clock moves only with advance(); only a timer already due (set for a time the
    // clock has passed, e.g. computed before an advance) is armed, to fire now.
    if (this.#frozenAt !== undefined && wait > 0) return;
    // setTimeout's ceiling is about 24.8 days; re-arm in steps for timers further out.
    const delay = Math.min(Math.max(0, wait), 2_000_000_000);
    this.#wake = setTimeout(() => this.#runDue(), delay);
    this.#wake.unref();
  }
}
