/**
 * The message lifecycle's timers: statuses, deliveries when a user comes online, auto-replies.
 * One binary heap on top of a single clock timer, because the clock's own timer list is sorted on
 * every insert (fine for dozens of timers, not for the hundred thousand in-flight messages of a
 * benchmark): scheduling here is O(log n) and the clock only ever holds one timer for us.
 */
import type { Clock } from '@switchboard/runtime';

interface Entry {
  at: number;
  seq: number;
  run: (at: number) => void;
}

export class Agenda {
  readonly #heap: Entry[] = [];
  #seq = 0;
  #armedAt = Infinity;
  #cancelArmed: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (err: unknown) => void,
  ) {}

  get size(): number {
    return this.#heap.length;
  }

  /**
   * Runs `run(at)` once the clock reaches `at`; entries due together run in time order. `at` is
   * passed because a clock advanced by an hour runs everything at the hour's end: webhooks use
   * the time the event was due, not the time the clock stopped at.
   */
  at(at: number, run: (at: number) => void): void {
    this.#push({ at, seq: this.#seq++, run });
    if (at < this.#armedAt) this.#arm();
  }

  /** Forgets every entry (emulator reset). */
  clear(): void {
    this.#heap.length = 0;
    this.#cancelArmed?.();
    this.#cancelArmed = undefined;
    this.#armedAt = Infinity;
  }

  #arm(): void {
    this.#cancelArmed?.();
    const top = this.#heap[0];
    if (!top) {
      this.#cancelArmed = undefined;
      this.#armedAt = Infinity;
      return;
    }
    this.#armedAt = top.at;
    this.#cancelArmed = this.clock.at(top.at, () => {
      this.#cancelArmed = undefined;
      this.#armedAt = Infinity;
      this.#runDue();
    });
  }

  #runDue(): void {
    // Entries scheduled by entries that are already due run in this same pass, as the clock does.
    for (;;) {
      const top = this.#heap[0];
      if (!top || top.at > this.clock.now()) break;
      this.#pop();
      try {
        top.run(top.at);
      } catch (err) {
        // One broken entry must not stop the others.
        this.onError(err);
      }
    }
    this.#arm();
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
