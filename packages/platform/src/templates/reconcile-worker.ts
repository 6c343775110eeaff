/**
 * The periodic reconcile of the local template copy: each WABA's templates are read from Meta
 * every RECONCILE_INTERVAL_MS (clock time), and at once when a webhook names a template the
 * platform does not know or marks one stale (NOTIFY switchboard_templates). Webhooks keep the copy
 * current; this catches what they missed (a lost webhook, a change made while the platform was
 * down).
 *
 * Several processes share the work: a WABA is claimed by moving its next_sync_at forward under
 * FOR UPDATE SKIP LOCKED, which doubles as a lease — a process that dies mid-read leaves the WABA
 * for the next period. The next due time is armed on the injected clock, so tests advance a
 * virtual clock instead of waiting; a slow real-time sweep is the safety net.
 */
import type { PlatformContext } from '../context.js';
import { NotifiedWorker } from '../db/notified-worker.js';
import { TEMPLATES_CHANNEL } from './apply-template-webhook.js';
import { RECONCILE_INTERVAL_MS, syncWabaTemplates } from './sync-templates.js';

const SWEEP_MS = 30_000;

export class TemplateReconciler extends NotifiedWorker {
  #cancelAlarm: (() => void) | undefined;

  constructor(
    ctx: PlatformContext,
    private readonly intervalMs = RECONCILE_INTERVAL_MS,
  ) {
    super(ctx, TEMPLATES_CHANNEL, SWEEP_MS);
  }

  override async close(): Promise<void> {
    this.#cancelAlarm?.();
    await super.close();
    this.#cancelAlarm?.();
  }

  /** Reconciles every WABA that is due now. */
  protected async work(): Promise<void> {
    try {
      const now = new Date(this.ctx.clock.now());
      // WABAs attached since the last sweep are due at once.
      await this.ctx.sql`
        insert into template_syncs (waba_id, next_sync_at) select id, ${now} from wabas
        on conflict (waba_id) do nothing`;
      for (;;) {
        if (this.closing) return;
        const wabaId = await this.#claim();
        if (!wabaId) break;
        await syncWabaTemplates(this.ctx, wabaId).catch((err: unknown) =>
          this.ctx.logger.warn({ err, waba_id: wabaId }, 'template reconcile failed; will retry next period'),
        );
      }
      await this.#arm();
    } catch (err) {
      this.ctx.logger.error({ err }, 'template reconcile sweep failed; will retry');
    }
  }

  async #claim(): Promise<string | undefined> {
    const now = this.ctx.clock.now();
    const [row] = await this.ctx.sql<{ waba_id: string }[]>`
      update template_syncs set next_sync_at = ${new Date(now + this.intervalMs)}
      where waba_id = (
        select waba_id from template_syncs where next_sync_at <= ${new Date(now)}
        order by next_sync_at for update skip locked limit 1)
      returning waba_id`;
    return row?.waba_id;
  }

  /** Wakes at the next due time on the clock. */
  async #arm(): Promise<void> {
    const [next] = await this.ctx.sql<{ at: Date | null }[]>`select min(next_sync_at) as at from template_syncs`;
    this.#cancelAlarm?.();
    this.#cancelAlarm = undefined;
    if (next?.at && !this.closing) this.#cancelAlarm = this.ctx.clock.at(next.at.getTime(), () => this.poke());
  }
}
