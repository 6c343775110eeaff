/**
 * The loop of a background worker woken by PostgreSQL NOTIFY: `work()` runs when a notification
 * arrives, when the listener (re)connects (notifications may have been missed), and on a slow
 * real-time sweep as a safety net; never twice at once — a wake-up during a run causes one more
 * run after it. Subclasses implement `work()` and may add to `close()`.
 */
import type { PlatformContext } from '../context.js';

export abstract class NotifiedWorker {
  #running: Promise<void> | undefined;
  #again = false;
  #closing = false;
  #unlisten: (() => Promise<void>) | undefined;
  #timer: NodeJS.Timeout | undefined;

  protected constructor(
    protected readonly ctx: PlatformContext,
    private readonly channel: string,
    private readonly sweepMs: number,
  ) {}

  /** One pass over whatever is due; errors are the subclass's to log. */
  protected abstract work(): Promise<void>;

  protected get closing(): boolean {
    return this.#closing;
  }

  async start(): Promise<void> {
    const listener = await this.ctx.sql.listen(this.channel, () => this.poke(), () => this.poke());
    this.#unlisten = () => listener.unlisten();
    this.#timer = setInterval(() => this.poke(), this.sweepMs);
    this.#timer.unref();
    this.poke();
  }

  poke(): void {
    if (this.#closing) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.work().finally(() => {
      this.#running = undefined;
      if (this.#again && !this.#closing) {
        this.#again = false;
        this.poke();
      }
    });
  }

  /** Waits for the run in progress, then runs once more (tests await this instead of sleeping). */
  async drain(): Promise<void> {
    await this.#running;
    await this.work();
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#unlisten?.().catch(() => undefined);
    await this.#running;
  }
}
