/**
 * Latencies of one run, kept exactly (a preallocated Float64Array: 8 bytes a sample, a few MB for
 * a run) and sorted once at the end. Exact percentiles are cheap at these counts and leave no
 * bucket-width question about p999.
 */
import type { Percentiles } from './protocol.js';

export class Latencies {
  #samples: Float64Array;
  #count = 0;

  constructor(capacity = 1 << 20) {
    this.#samples = new Float64Array(capacity);
  }

  get count(): number {
    return this.#count;
  }

  add(ms: number): void {
    if (this.#count === this.#samples.length) {
      const bigger = new Float64Array(this.#samples.length * 2);
      bigger.set(this.#samples);
      this.#samples = bigger;
    }
    this.#samples[this.#count++] = ms;
  }

  percentiles(): Percentiles {
    const sorted = this.#samples.slice(0, this.#count).sort();
    const at = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
    const round = (x: number) => Math.round(x * 100) / 100;
    return { min: round(sorted[0] ?? 0), p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), p999: round(at(0.999)), max: round(at(1)) };
  }
}
