/**
 * The tenant webhook delivery worker. Events are queued per destination (tenant + URL); each
 * destination is drained by one sender at a time across every process, in id order, in batches
 * of up to 100 events per POST.
 *
 * Why an advisory-lock lease per destination rather than `FOR UPDATE SKIP LOCKED` claims:
 * - one POST at a time per receiver is the requirement, and row locks cannot express it: two
 *   processes skipping each other's locked rows would POST different batches to the same URL at
 *   once, and batches of one conversation could overtake each other;
 * - with the lease, order per conversation is simply id order within the destination (plus a
 *   check across destinations, see sql/claim-batch.ts), with no per-key claim bookkeeping;
 * - the lease is a session lock on one connection per process (locks for every destination it
 *   is sending to; queries go to the pool), so a crashed process loses its leases with its
 *   connection: no lease expiry to tune against a clock, no "sending" rows to recover. A batch
 *   whose POST was in flight at the crash is sent again (at least once; receivers dedupe on
 *   X-Switchboard-Event-Ids).
 *
 * The lease connection is a one-connection client of its own, not `sql.reserve()`: with
 * postgres.js 3.4.9 a reserved connection whose backend dies throws an uncatchable TypeError on
 * its next query (porsager/postgres#1208, #1199), while a pooled one reconnects. A reconnect is a
 * new session without our locks, so every lock query also returns the backend pid: a new pid
 * means the leases held so far were released, which is logged. A sender looks at that pid again
 * before each batch after its first and stops when it changed (another process may have taken
 * the destination meanwhile), then tries the lease again on the new session: a POST in flight at
 * the loss may overlap with another process's once (at least once holds), but the rest of the
 * queue is not sent by two processes at once.
 *
 * Wake-ups: enqueueTenantEvents NOTIFYs the destination ids in its transaction; a sender that
 * resolves events another destination was waiting on NOTIFYs that one; a failed POST sets a timer
 * (on ctx.clock) for the destination's retry time; and a slow sweep (30 s, also on ctx.clock)
 * catches anything missed — a dead holder's queue, a lost notification.
 *
 * A sender gives its lease back when its queue is empty or its receiver failed, then looks once
 * more: work committed while it held the lease was announced to processes that could not take it.
 */
import type { Sql } from 'postgres';
import { signBody } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { leaseClient } from '../db/lease-client.js';
import { retryOnConnectionError } from '../db/retry-connection.js';
import { WEBHOOK_CHANNEL } from './channel.js';
import { buildEnvelope, fittingPrefix } from './envelope.js';
import { DELIVERY_TIMEOUT_MS, postWebhook, type PostOutcome } from './post-webhook.js';
import { claimBatch } from './sql/claim-batch.js';
import { loadDestination, queuedDestinations, type Destination } from './sql/queued-destinations.js';
import { recordDelivered, recordFailed } from './sql/record-attempt.js';

export interface WebhookDeliveryOptions {
  /** Events per POST (Meta batches up to 1,000; 100 keeps bodies and retries small). */
  batchSize?: number;
  /** Destinations this process sends to at once. */
  maxSenders?: number;
  /** Per-POST timeout, real time. */
  timeoutMs?: number;
  /** Safety-net sweep interval, on ctx.clock. */
  sweepMs?: number;
}

/** Advisory-lock namespace of webhook destinations ("SWWH"); the key is the destination id. */
export const LEASE_NAMESPACE = 0x53575748;
const INT4_MAX = 2_147_483_647n;
export const EVENT_IDS_HEADER = 'x-switchboard-event-ids';
/** How long a delivery's record is tried again while the database is unreachable (a restart, a failover). */
const RECORD_RETRY_FOR_MS = 30_000;

export function leaseKey(destinationId: string): number {
  // Ids beyond int4 share keys with smaller ones: harmless, two destinations then take turns.
  return Number(BigInt(destinationId) % INT4_MAX);
}

/** How a sender's drain of a destination ended. */
type Drained = 'emptied' | 'stopped' | 'lease lost';

interface Sender {
  /** Set when new work is announced while the sender runs: it looks again before it stops. */
  dirty: boolean;
  done: Promise<void>;
}

class DeliveryWorker {
  readonly #senders = new Map<string, Sender>();
  readonly #waiting = new Set<string>();
  readonly #batchSize: number;
  readonly #maxSenders: number;
  readonly #timeoutMs: number;
  readonly #sweepMs: number;
  #leaseSql: Sql | undefined;
  #leasePid: number | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  #cancelSweep: (() => void) | undefined;
  #cancelWake: (() => void) | undefined;
  #wakeAt = Infinity;
  #scan: Promise<void> | undefined;
  #rescan = false;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(
    private readonly ctx: PlatformContext,
    options: WebhookDeliveryOptions,
  ) {
    this.#batchSize = options.batchSize ?? 100;
    this.#maxSenders = options.maxSenders ?? 16;
    this.#timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
    this.#sweepMs = options.sweepMs ?? 30_000;
  }

  async start(): Promise<void> {
    this.#leaseSql = leaseClient(this.ctx.sql, 'switchboard-webhook-leases');
    // onlisten runs on start and after every reconnect, when notifications may have been missed.
    const listener = await this.ctx.sql.listen(
      WEBHOOK_CHANNEL,
      (payload) => this.#onNotify(payload),
      () => this.#scanSoon(),
    );
    this.#unlisten = () => listener.unlisten();
    this.#armSweep();
  }

  /** Idempotent: a second call waits for the first. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#cancelSweep?.();
    this.#cancelWake?.();
    this.#waiting.clear();
    await this.#unlisten?.().catch(() => undefined);
    await this.#scan;
    // Senders finish the POST they are in (at most the timeout) and stop.
    await Promise.all([...this.#senders.values()].map((s) => s.done));
    // Ending the session gives every lease back.
    await this.#leaseSql?.end({ timeout: 5 }).catch(() => undefined);
    this.#leaseSql = undefined;
  }

  #onNotify(payload: string): void {
    const ids = payload.split(',').filter((id) => /^\d+$/.test(id));
    if (ids.length === 0) this.#scanSoon();
    for (const id of ids) this.#kick(id);
  }

  #kick(id: string): void {
    if (this.#closed) return;
    const running = this.#senders.get(id);
    if (running) {
      running.dirty = true;
      return;
    }
    if (this.#senders.size >= this.#maxSenders) {
      this.#waiting.add(id);
      return;
    }
    this.#waiting.delete(id);
    const sender: Sender = { dirty: false, done: Promise.resolve() };
    this.#senders.set(id, sender);
    sender.done = this.#run(id, sender).finally(() => {
      this.#senders.delete(id);
      const next = this.#waiting.values().next();
      if (!next.done) this.#kick(next.value);
    });
  }

  async #run(id: string, sender: Sender): Promise<void> {
    try {
      for (;;) {
        sender.dirty = false;
        const more = await this.#session(id);
        if (this.#closed || (!more && !sender.dirty)) return;
      }
    } catch (err) {
      this.ctx.logger.error({ err, destination_id: id }, 'webhook sender failed; the sweep will retry');
    }
  }

  /** Takes the lease, drains, gives it back; true when there may be more to send right now. */
  async #session(id: string): Promise<boolean> {
    const conn = this.#leaseSql;
    if (!conn) return false;
    const key = leaseKey(id);
    let locked: boolean;
    let sessionPid: number | undefined;
    try {
      const [row] = await conn<{ locked: boolean; pid: number }[]>`
        select pg_try_advisory_lock(${LEASE_NAMESPACE}, ${key}) as locked, pg_backend_pid() as pid`;
      locked = row?.locked === true;
      if (this.#leasePid !== undefined && row?.pid !== this.#leasePid) {
        this.ctx.logger.warn({ was: this.#leasePid, now: row?.pid }, 'webhook lease session was replaced; leases held on the old one were released');
      }
      this.#leasePid = sessionPid = row?.pid;
    } catch (err) {
      // The lease connection is reconnecting; the sweep will try again.
      this.ctx.logger.warn({ err, destination_id: id }, 'could not take a webhook lease');
      return false;
    }
    if (!locked) return false;
    let drained: Drained = 'stopped';
    try {
      drained = await this.#drain(id, sessionPid);
    } finally {
      // Also when the lease looked lost: on a new session this does nothing, and if the look only
      // failed, the session still holds it (session locks count: a second take needs a second unlock).
      await conn`select pg_advisory_unlock(${LEASE_NAMESPACE}, ${key})`.catch(() => undefined);
    }
    if (this.#closed) return false;
    // Taken again on the new session at once, unless another process has it now.
    if (drained === 'lease lost') return true;
    if (drained !== 'emptied') return false;
    return (await claimBatch(this.ctx.sql, id, 1)).length > 0;
  }

  /**
   * Sends batches until the queue is empty, the receiver failed, we stop, or the lease taken on
   * session `leasePid` is found lost (looked at before each batch after the first).
   */
  async #drain(id: string, leasePid: number | undefined): Promise<Drained> {
    const destination = await loadDestination(this.ctx.sql, id);
    if (!destination) return 'stopped';
    const retryAt = destination.retry_at?.getTime();
    if (retryAt !== undefined && retryAt > this.ctx.clock.now()) {
      this.#wake(retryAt);
      return 'stopped';
    }
    const secret = this.#openSecret(destination);
    let failures = destination.failures;
    for (let batches = 0; !this.#closed; batches++) {
      if (batches > 0 && !(await this.#stillLeased(leasePid))) {
        this.ctx.logger.warn({ destination_id: id }, "webhook lease lost while sending a destination's queue; taking it again before the next batch");
        return 'lease lost';
      }
      const claimed = await claimBatch(this.ctx.sql, id, this.#batchSize);
      if (claimed.length === 0) return 'emptied';
      const batch = fittingPrefix(claimed);
      const { body, eventIds } = buildEnvelope(batch);
      const startedAt = new Date(this.ctx.clock.now());
      const outcome: PostOutcome =
        secret === undefined
          ? { outcome: 'failed', statusCode: null, error: "The tenant's webhook secret could not be decrypted.", durationMs: 0 }
          : await postWebhook(
              this.ctx.tenantHttp,
              destination.url,
              body,
              {
                'user-agent': 'Switchboard-Webhooks/1.0',
                'x-hub-signature-256': signBody(body, secret),
                [EVENT_IDS_HEADER]: eventIds.join(','),
              },
              this.#timeoutMs,
            );
      this.ctx.metrics.tenantDeliveries.inc({ outcome: outcome.outcome });
      const record = {
        destinationId: id,
        tenantId: destination.tenant_id,
        url: destination.url,
        startedAt,
        durationMs: outcome.durationMs,
        statusCode: outcome.statusCode,
        eventIds: batch.map((e) => e.id),
        now: new Date(this.ctx.clock.now()),
      };
      if (outcome.outcome === 'delivered') {
        // Only this process knows the receiver took the batch: a record lost with its connection
        // (PostgreSQL restarting) would have the batch sent again, so it is tried again first.
        await retryOnConnectionError(
          this.ctx.clock,
          this.ctx.clock.now() + RECORD_RETRY_FOR_MS,
          (again) => recordDelivered(this.ctx.sql, record, failures > 0, again),
          (err) => this.ctx.logger.warn({ err, destination_id: id }, 'could not record a delivery: the database connection failed; trying again'),
        );
        failures = 0;
        continue;
      }
      const failed = await recordFailed(this.ctx.sql, { ...record, outcome: outcome.outcome, error: outcome.error ?? 'failed' });
      if (failed.dead > 0) {
        this.ctx.logger.warn({ destination_id: id, tenant_id: destination.tenant_id, dead: failed.dead }, 'tenant webhook events dead-lettered');
      }
      this.#wake(failed.retryAt.getTime());
      return 'stopped';
    }
    return 'stopped';
  }

  /** Whether the lease connection is still on session `pid` (a dropped one reconnects as a new session, without our leases). */
  async #stillLeased(pid: number | undefined): Promise<boolean> {
    try {
      const [row] = await this.#leaseSql!<{ pid: number }[]>`select pg_backend_pid() as pid`;
      return pid !== undefined && row?.pid === pid;
    } catch {
      return false;
    }
  }

  #openSecret(destination: Destination): string | undefined {
    try {
      return this.ctx.box.open(destination.secret_enc);
    } catch (err) {
      this.ctx.logger.error({ err, tenant_id: destination.tenant_id }, "tenant webhook secret cannot be decrypted (encryption key changed?)");
      return undefined;
    }
  }

  /** Scans at `atMs` (the earliest retry time known); a later time is covered by that scan. */
  #wake(atMs: number): void {
    if (this.#closed || atMs >= this.#wakeAt) return;
    this.#cancelWake?.();
    this.#wakeAt = atMs;
    this.#cancelWake = this.ctx.clock.at(atMs, () => {
      this.#wakeAt = Infinity;
      this.#cancelWake = undefined;
      this.#scanSoon();
    });
  }

  #armSweep(): void {
    if (this.#closed) return;
    this.#cancelSweep = this.ctx.clock.at(this.ctx.clock.now() + this.#sweepMs, () => {
      this.#scanSoon();
      this.#armSweep();
    });
  }

  #scanSoon(): void {
    if (this.#closed) return;
    if (this.#scan) {
      this.#rescan = true;
      return;
    }
    this.#scan = this.#runScans().finally(() => (this.#scan = undefined));
  }

  /** Kicks every destination due now, arms the timer for the next one, updates the lag gauge. */
  async #runScans(): Promise<void> {
    try {
      do {
        this.#rescan = false;
        const rows = await queuedDestinations(this.ctx.sql);
        const now = this.ctx.clock.now();
        let next = Infinity;
        let oldest = Infinity;
        for (const row of rows) {
          oldest = Math.min(oldest, row.oldest.getTime());
          const retryAt = row.retry_at?.getTime() ?? -Infinity;
          if (retryAt <= now) this.#kick(row.id);
          else next = Math.min(next, retryAt);
        }
        this.ctx.metrics.tenantDeliveryLag.set({}, oldest === Infinity ? 0 : Math.max(0, (now - oldest) / 1000));
        if (next !== Infinity) this.#wake(next);
      } while (this.#rescan && !this.#closed);
    } catch (err) {
      if (!this.#closed) this.ctx.logger.error({ err }, 'webhook sweep failed');
    }
  }
}

/**
 * Starts delivering tenant webhooks in this process; close() stops taking work, lets the POSTs in
 * flight finish and gives every lease back.
 *
 * @example
 *   const delivery = await startWebhookDelivery(ctx);
 *   // … later
 *   await delivery.close();
 */
export async function startWebhookDelivery(ctx: PlatformContext, options: WebhookDeliveryOptions = {}): Promise<{ close(): Promise<void> }> {
  const worker = new DeliveryWorker(ctx, options);
  await worker.start();
  return { close: () => worker.close() };
}
