/**
 * Spreads sending across processes: each phone number is sent from by one process at a time,
 * the holder of a PostgreSQL advisory lock for that number (session-level, on a dedicated lease
 * connection, so the lease ends when the process or its connection dies). Work wakes lanes
 * through LISTEN/NOTIFY from the accept path; a slow sweep picks up numbers whose holder died, has
 * idle lanes look again (a wake-up missed, e.g. a NOTIFY lost with a connection), retires idle
 * lanes of numbers with nothing queued (their leases go back, so numbers spread over processes as
 * work comes), and reports lanes stuck in one step.
 * When the lease session is replaced (its pid changes), every lane stops: its locks are gone. The
 * session is looked at every second, so a lost lease stops its lanes (and a PostgreSQL restart has
 * the numbers taken again) within about a second, not at the next sweep.
 */
import type { PlatformContext } from '../../context.js';
import type { Sql } from '../../db/connect.js';
import { leaseClient } from '../../db/lease-client.js';
import { numbersWithWork } from '../sql/claim-batch.js';
import { SEND_CHANNEL } from '../sql/insert-accepted.js';
import { Lane } from './lane.js';

/** Advisory-lock namespace of send lanes ("SWSQ"); a test holds a number's lease with it to keep the dispatcher off. */
export const LEASE_NAMESPACE = 0x53575351;
const SWEEP_MS = 5_000;
/**
 * After another process was found holding a number's lease, how long its NOTIFYs are left to that
 * holder instead of each trying the lock again (a round trip on the lease connection per commit
 * that touched the number); the sweep still tries every 5 s, so a holder that died is replaced.
 */
const HELD_ELSEWHERE_MS = 1_000;
/**
 * How often the lease session is looked at. Until its loss is noticed, this process's lanes run
 * on while another process may take their numbers: the two then send from one number at up to
 * twice its rate, though never the same message (markInFlight).
 */
const LEASE_CHECK_MS = 1_000;
/** A healthy lane's step (a query, a round's sends: chains of requests within the Graph timeout) takes milliseconds to seconds; two minutes is not one. */
const LONG_WAIT_MS = 120_000;

export class Dispatcher {
  readonly #lanes = new Map<string, Lane>();
  #lockConn: Sql | undefined;
  #leasePid: number | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #cancelLeaseCheck: (() => void) | undefined;
  /** The last lease check failed: the next failures of the streak are not logged again. */
  #leaseCheckFailing = false;
  #closing = false;
  #acquiring = new Set<string>();
  /** Numbers whose lease another process held when last tried, and until when that is trusted. */
  readonly #heldElsewhere = new Map<string, number>();
  /** Numbers whose lane is stopping (retired, or its lease lost): not taken again until it has stopped. */
  readonly #stopping = new Map<string, { lane: Lane; stopped: Promise<void> }>();

  /** `sweepMs: null`: no timed sweep (a test calls sweep()). The lease check runs on the context's clock. */
  constructor(
    private readonly ctx: PlatformContext,
    private readonly options: { sweepMs: number | null } = { sweepMs: SWEEP_MS },
  ) {}

  async start(): Promise<void> {
    this.#lockConn = leaseClient(this.ctx.sql, 'switchboard-send-leases');
    const listener = await this.ctx.sql.listen(SEND_CHANNEL, (phoneNumberId) => void this.wake(phoneNumberId), () => void this.sweep());
    this.#unlisten = () => listener.unlisten();
    if (this.options.sweepMs !== null) {
      this.#sweepTimer = setInterval(() => void this.sweep(), this.options.sweepMs);
      this.#sweepTimer.unref();
    }
    this.#scheduleLeaseCheck();
  }

  #scheduleLeaseCheck(): void {
    if (this.#closing) return;
    this.#cancelLeaseCheck = this.ctx.clock.at(this.ctx.clock.now() + LEASE_CHECK_MS, () => {
      this.#cancelLeaseCheck = undefined;
      void this.#checkLease().finally(() => this.#scheduleLeaseCheck());
    });
  }

  /** Whether the lease session is the one the lanes' locks were taken on (a query reconnects a dropped one). */
  async #checkLease(): Promise<void> {
    if (this.#closing || !this.#lockConn) return;
    try {
      const [row] = await this.#lockConn<{ pid: number }[]>`select pg_backend_pid() as pid`;
      this.#leaseCheckFailing = false;
      await this.#checkSession(row?.pid);
    } catch (err) {
      // PostgreSQL unreachable: the next check (or sweep) tries again; lanes fail on their own
      // queries meanwhile. Logged once an outage, not every second.
      if (!this.#leaseCheckFailing) this.ctx.logger.warn({ err }, 'could not check the send lease session');
      this.#leaseCheckFailing = true;
    }
  }

  /**
   * There may be work for this number: its lane looks, or the lease is tried for it (not within a
   * second of finding another process holding it). Resolves when that try is over; callers need
   * not wait.
   */
  wake(phoneNumberId: string): Promise<void> {
    if (this.#closing) return Promise.resolve();
    const lane = this.#lanes.get(phoneNumberId);
    if (lane) lane.poke();
    else if ((this.#heldElsewhere.get(phoneNumberId) ?? 0) <= this.ctx.clock.now()) return this.#acquire(phoneNumberId);
    return Promise.resolve();
  }

  /**
   * Safety net: numbers with queued work and no lane here (their holder may have died; tried even
   * if held elsewhere a moment ago), idle lanes with queued work, lanes to retire, stuck lanes.
   */
  async sweep(): Promise<void> {
    if (this.#closing) return;
    try {
      await this.#checkLease();
      this.#reportStuckLanes();
      const withWork = new Set(await numbersWithWork(this.ctx.sql));
      for (const id of withWork) {
        const lane = this.#lanes.get(id);
        if (lane) lane.sweep();
        else void this.#acquire(id);
      }
      const now = this.ctx.clock.now();
      for (const [id, until] of this.#heldElsewhere) if (until <= now) this.#heldElsewhere.delete(id);
      for (const lane of [...this.#lanes.values()]) if (!withWork.has(lane.phoneNumberId) && lane.retirable(now)) await this.#retire(lane);
    } catch (err) {
      this.ctx.logger.error({ err }, 'dispatcher sweep failed');
    }
  }

  /** This process's lanes: whether each is running or has a wake scheduled, and what its run waits for. */
  lanes(): Array<{ phoneNumberId: string; busy: boolean; stage: { name: string; since: number } | undefined }> {
    return [...this.#lanes.values()].map((lane) => ({ phoneNumberId: lane.phoneNumberId, busy: lane.busy, stage: lane.stage }));
  }

  /**
   * A lane's steps end within their timeouts; one that has not may be waiting on something that
   * never answers, and its number sends nothing meanwhile. Logged with what it waits for, and
   * counted in the switchboard_send_lanes_stuck gauge for alerting (not replaced: if it did
   * resume, two lanes would send from one number).
   */
  #reportStuckLanes(): void {
    const now = this.ctx.clock.now();
    let stuck = 0;
    // Also a stopping lane: its number gets no new lane until its last round is recorded.
    for (const lane of [...this.#lanes.values(), ...[...this.#stopping.values()].map((s) => s.lane)]) {
      const stage = lane.stage;
      if (stage && now - stage.since > LONG_WAIT_MS) {
        stuck++;
        this.ctx.logger.error({ phone_number_id: lane.phoneNumberId, waiting_ms: now - stage.since, stage: stage.name }, 'send lane is stuck');
      }
    }
    this.ctx.metrics.stuckLanes.set({}, stuck);
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#sweepTimer) clearInterval(this.#sweepTimer);
    this.#cancelLeaseCheck?.();
    await this.#unlisten?.().catch(() => undefined);
    // Lanes stopping already (a lost lease) finish their last round too.
    const stoppingAlready = [...this.#stopping.values()].map((s) => s.stopped);
    const lanes = [...this.#lanes.values()];
    this.#lanes.clear();
    await Promise.all([this.#stop(lanes, { release: true }), ...stoppingAlready]);
    await this.#lockConn?.end({ timeout: 5 });
    this.#lockConn = undefined;
  }

  async #acquire(phoneNumberId: string): Promise<void> {
    if (this.#acquiring.has(phoneNumberId) || this.#stopping.has(phoneNumberId) || !this.#lockConn) return;
    this.#acquiring.add(phoneNumberId);
    try {
      const [row] = await this.#lockConn<{ locked: boolean; pid: number }[]>`
        select pg_try_advisory_lock(${LEASE_NAMESPACE}, hashtext(${phoneNumberId})) as locked, pg_backend_pid() as pid`;
      await this.#checkSession(row?.pid);
      if (!row?.locked) {
        this.#heldElsewhere.set(phoneNumberId, this.ctx.clock.now() + HELD_ELSEWHERE_MS);
        return;
      }
      // Taken on a new session while this number's lane of the old one still stops: it wakes the number when done.
      if (this.#closing || this.#stopping.has(phoneNumberId)) {
        await this.#release(phoneNumberId);
        return;
      }
      this.#heldElsewhere.delete(phoneNumberId);
      const lane = new Lane(this.ctx, phoneNumberId);
      this.#lanes.set(phoneNumberId, lane);
      lane.poke();
    } catch (err) {
      this.ctx.logger.error({ err, phone_number_id: phoneNumberId }, 'could not take the send lease');
    } finally {
      this.#acquiring.delete(phoneNumberId);
    }
  }

  /** An idle lane gives its lease back, so another process (or this one, later) can take it. */
  async #retire(lane: Lane): Promise<void> {
    if (this.#lanes.get(lane.phoneNumberId) !== lane) return;
    this.#lanes.delete(lane.phoneNumberId);
    await this.#stop([lane], { release: true });
  }

  /**
   * Stops lanes already taken out of #lanes. Their numbers are not taken again until each lane's
   * last round is recorded (a new lane would take that round's messages, still marked in flight, for
   * a stopped process's and wait out the unknown-outcome grace before sending them); then work
   * committed meanwhile (its NOTIFY ignored) is looked for.
   */
  async #stop(lanes: Lane[], options: { release: boolean }): Promise<void> {
    await Promise.all(
      lanes.map((lane) => {
        const stopped = this.#stopLane(lane, options.release).finally(() => this.#stopping.delete(lane.phoneNumberId));
        this.#stopping.set(lane.phoneNumberId, { lane, stopped });
        return stopped.then(() => this.#wakeIfQueued(lane.phoneNumberId));
      }),
    );
  }

  async #stopLane(lane: Lane, release: boolean): Promise<void> {
    await lane.close();
    if (release) await this.#release(lane.phoneNumberId);
  }

  async #wakeIfQueued(phoneNumberId: string): Promise<void> {
    if (this.#closing) return;
    try {
      const [row] = await this.ctx.sql`select 1 from send_queue where phone_number_id = ${phoneNumberId} and held_reason is null limit 1`;
      if (row) void this.wake(phoneNumberId);
    } catch (err) {
      // The database is unreachable (restarting, failing over): the next sweep looks again.
      this.ctx.logger.warn({ err, phone_number_id: phoneNumberId }, 'could not look for work after stopping a lane; the sweep will');
    }
  }

  async #release(phoneNumberId: string): Promise<void> {
    const conn = this.#lockConn;
    if (conn) await conn`select pg_advisory_unlock(${LEASE_NAMESPACE}, hashtext(${phoneNumberId}))`.catch(() => undefined);
  }

  /** A new backend pid means the lease session was replaced and every lock we held is gone. */
  async #checkSession(pid: number | undefined): Promise<void> {
    if (pid === undefined) return;
    const was = this.#leasePid;
    // Recorded first: callers that look meanwhile (the sweep, lease takers) must not stop the lanes
    // made on the new session (after a PostgreSQL restart three did, within 9 ms).
    this.#leasePid = pid;
    if (was !== undefined && pid !== was) {
      this.ctx.logger.warn({ was, now: pid }, 'send lease session was replaced; stopping lanes whose leases were lost');
      const lanes = [...this.#lanes.values()];
      this.#lanes.clear();
      // Not awaited: a lane's last round may wait for the database to record its outcomes.
      void this.#stop(lanes, { release: false });
    }
  }
}
