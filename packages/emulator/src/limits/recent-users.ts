/**
 * Unique users reached in a moving time span: a Map kept in order of last contact, so expiring
 * the users that fell out of the span only ever looks at the oldest entries (O(1) amortised).
 */
export class RecentUsers {
  readonly #lastAt = new Map<string, number>();

  constructor(readonly spanMs: number) {}

  /** Records a contact with `waId` at `at` (moves it to the newest end). */
  touch(waId: string, at: number): void {
    this.#lastAt.delete(waId);
    this.#lastAt.set(waId, at);
  }

  has(waId: string, now: number): boolean {
    this.#expire(now);
    return this.#lastAt.has(waId);
  }

  size(now: number): number {
    this.#expire(now);
    return this.#lastAt.size;
  }

  #expire(now: number): void {
    for (const [waId, at] of this.#lastAt) {
      if (now - at < this.spanMs) break;
      this.#lastAt.delete(waId);
    }
  }
}
