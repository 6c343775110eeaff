/**
 * Group commit for accepted messages: requests wait for a commit that includes them, and while one
 * commit is running every request that arrives joins the next one. Under load this turns thousands
 * of single-row transactions (one fsync each) into a few batched ones, without adding a fixed delay
 * when the system is idle. Two commits may run at once so the pool and the disk stay busy.
 */
import type { PlatformContext } from '../../context.js';
import { insertAccepted, type AcceptRow } from '../sql/insert-accepted.js';

const MAX_BATCH = 1_000;
const MAX_CONCURRENT_COMMITS = 2;

interface Waiting {
  row: AcceptRow;
  resolve: (inserted: boolean) => void;
  reject: (err: unknown) => void;
}

export class AcceptBatcher {
  #queue: Waiting[] = [];
  #running = 0;

  constructor(private readonly ctx: PlatformContext) {}

  /** Resolves once the row is committed: true if inserted, false if its idempotency key already existed. */
  submit(row: AcceptRow): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ row, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#running < MAX_CONCURRENT_COMMITS && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      this.#running++;
      void this.#commit(batch).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }

  async #commit(batch: Waiting[]): Promise<void> {
    try {
      const inserted = await insertAccepted(this.ctx.sql, batch.map((w) => w.row), new Date(this.ctx.clock.now()));
      for (const w of batch) w.resolve(inserted.has(w.row.wamid));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // One row the database refuses must not fail the requests that merely shared its commit:
      // each is committed on its own, and only the bad one fails.
      this.ctx.logger.warn({ err, rows: batch.length }, 'group commit failed; committing its rows one by one');
      await Promise.all(batch.map((w) => this.#commit([w])));
    }
  }
}
