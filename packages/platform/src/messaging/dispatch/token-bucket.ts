/** A token bucket on an injected clock: `take(now)` returns 0 when a token was taken, else the ms to wait. */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    private ratePerSecond: number,
    private capacity: number,
    now: number,
    initial: number = capacity,
  ) {
    this.#tokens = initial;
    this.#last = now;
  }

  take(now: number): number {
    this.#refill(now);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.#tokens) * 1000) / this.ratePerSecond);
  }

  /** Like take() without taking: 0 when a token is there, else the ms until one is. */
  peek(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) * 1000) / this.ratePerSecond);
  }

  /** Empties the bucket, e.g. after Meta said we went too fast. */
  drain(now: number): void {
    this.#refill(now);
    this.#tokens = Math.min(this.#tokens, 0);
  }

  /** True when the bucket is full again (the holder can forget it). */
  full(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= this.capacity;
  }

  setRate(ratePerSecond: number, capacity: number): void {
    this.ratePerSecond = ratePerSecond;
    this.capacity = capacity;
    this.#tokens = Math.min(this.#tokens, capacity);
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#last);
    this.#tokens = Math.min(this.capacity, this.#tokens + (elapsed * this.ratePerSecond) / 1000);
    this.#last = now;
  }
}
