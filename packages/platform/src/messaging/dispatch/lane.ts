/**
 * One phone number's sending loop, run only by the process holding that number's lease.
 *
 * Each round claims the oldest sendable messages, marks them in flight (committed before any
 * request leaves, so a crash leaves evidence), and sends them: one chain per recipient, so a
 * conversation's messages go in order and never two at once; chains run concurrently within the
 * number's throughput (a token bucket at 94 % of its mps with a 5 % burst, so no 1-second window
 * exceeds the limit) and each recipient's pair rate (45 at once, then 1 per 6 s). Answers are
 * recorded for the whole round in one transaction.
 */
import { ErrorCode } from '@switchboard/wire';
import type { GraphOutcome } from '../../graph/graph-client.js';
import type { PlatformContext } from '../../context.js';
import { retryOnConnectionError } from '../../db/retry-connection.js';
import { numberById, wabaToken, type NumberInfo } from '../numbers.js';
import { claimBatch, dropFromQueue, markInFlight, nextWork, recoverInFlight, withUnknownAttempts, type QueuedMessage } from '../sql/claim-batch.js';
import { recordOutcomes, type RoundOutcomes } from '../sql/record-outcomes.js';
import { decide } from './retry-policy.js';
import { TokenBucket } from './token-bucket.js';
import { traced } from './trace.js';
import { translateIds } from './translate-ids.js';

const PAIR_RATE = 1 / 6;
const PAIR_BURST = 45;
/** How often a lane looks again while another lane has messages of its number in flight. */
export const IN_FLIGHT_CHECK_MS = 1_000;

export class Lane {
  readonly #pairs = new Map<string, TokenBucket>();
  #bucket: TokenBucket | undefined;
  #number: NumberInfo | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #closing = false;
  #cancelWake: (() => void) | undefined;
  /** What the current run waits for, and since when: the dispatcher's sweep reports a wait that does not end. */
  #stage: { name: string; since: number } | undefined;
  /** This run was started by the sweep, not by a wake-up. */
  #swept = false;

  constructor(
    private readonly ctx: PlatformContext,
    readonly phoneNumberId: string,
  ) {}

  /** New work may be there: run now, or once more after the current run. */
  poke(): void {
    if (this.#closing) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#cancelWake?.();
    this.#cancelWake = undefined;
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
      this.#stage = undefined;
      this.#swept = false;
    });
  }

  /**
   * The sweep found queued work for this number: an idle lane looks once more. Work that becomes
   * due wakes a lane (a commit's NOTIFY, a scheduled wake), so a lane that finds some this way
   * missed a wake-up; that is logged, and the work is sent rather than left until the next commit.
   */
  sweep(): void {
    if (this.busy || this.#closing) return;
    this.#swept = true;
    this.poke();
  }

  /**
   * Whether the lane may give its lease back: idle, and every recipient's pair budget whole again.
   * The lane that takes the number next (here or in another process) starts with whole budgets, so
   * a budget still being spent would let it send past Meta's pair rate.
   */
  retirable(now: number): boolean {
    if (this.busy || this.#closing) return false;
    this.#heldRecipients(now); // forgets the recipients whose budget is whole
    return this.#pairs.size === 0;
  }

  /** What the run in progress waits for, and since when (undefined when the lane is not running). */
  get stage(): { name: string; since: number } | undefined {
    return this.#stage;
  }

  #enter(name: string): void {
    this.#stage = { name, since: this.ctx.clock.now() };
  }

  /** Stops after the round in flight; resolves when its outcomes are recorded. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#cancelWake?.();
    await this.#running;
  }

  get busy(): boolean {
    return this.#running !== undefined || this.#cancelWake !== undefined;
  }

  async #run(): Promise<void> {
    try {
      if (!this.#number) {
        this.#enter('recovering in-flight sends');
        await this.#recoverInFlight();
      }
      this.#enter('loading the number');
      this.#number = await numberById(this.ctx, this.phoneNumberId);
      if (!this.#number) return;
      // 94 % of the number's rate plus a 5 % burst: no one-second window reaches the limit, even
      // across a lane handover (below).
      const rate = this.#number.mps * 0.94;
      const burst = Math.max(1, Math.floor(this.#number.mps * 0.05));
      // A new lane starts with at most 4 tokens, not a full burst: the lane it replaces (here or
      // in another process) may have just spent its burst, and the two must not add up past the
      // number's limit (a full 50-token burst per handover measured 1,007 msg/s against 1,000).
      if (!this.#bucket) this.#bucket = new TokenBucket(rate, burst, this.ctx.clock.now(), Math.min(burst, 4));
      else this.#bucket.setRate(rate, burst);

      for (;;) {
        this.#again = false;
        const progressed = await this.#round(this.#number);
        if (this.#swept) {
          this.#swept = false;
          if (progressed) this.ctx.logger.warn({ phone_number_id: this.phoneNumberId }, 'send lane found due work only through the sweep: a wake-up was missed');
        }
        if (this.#closing) return;
        if (progressed || this.#again) continue;
        this.#enter('looking for the next due time');
        await this.#scheduleWake();
        // A poke while the next wake was being worked out (a commit's NOTIFY after the last
        // claim) would otherwise be lost: its look at the queue may predate the commit, or see
        // the message and take it for one held back by the pair rate (a wake a second later).
        if (!this.#again || this.#closing) break;
        this.#cancelWake?.();
        this.#cancelWake = undefined;
      }
    } catch (err) {
      // What this round marked in flight is recovered (as unknown outcomes) on the next run.
      this.#number = undefined;
      this.ctx.logger.error({ err, phone_number_id: this.phoneNumberId }, 'dispatch lane failed; retrying shortly');
      if (!this.#closing) this.#wakeAt(this.ctx.clock.now() + 1_000);
    }
  }

  /** One round; false when nothing could be sent now. */
  async #round(number: NumberInfo): Promise<boolean> {
    const now = this.ctx.clock.now();
    const held = this.#heldRecipients(now);
    // About a tenth of a second of sending per round: outcomes are committed often, so a crash
    // leaves few attempts with unknown outcomes (and few possible duplicates) behind.
    const roundSize = Math.min(200, Math.max(10, Math.ceil(number.mps / 10)));
    this.#enter('claiming');
    const claimed = await claimBatch(this.ctx.sql, number.id, new Date(now), held, roundSize);
    if (claimed.length === 0) return false;
    // Messages whose unknown attempt Meta turned out to have (its status arrived) are done.
    const reconciled = claimed.filter((r) => r.meta_wamid !== null);
    this.#enter('preparing the round');
    if (reconciled.length > 0) await dropFromQueue(this.ctx.sql, reconciled.map((r) => r.id));
    const unsent = claimed.filter((r) => r.meta_wamid === null);
    const expired = await this.#expired(unsent, now);
    let rows = unsent.filter((r) => !expired.has(r));
    const token = await wabaToken(this.ctx, number.wabaId);
    const outcomes: RoundOutcomes = {
      phoneNumberId: number.id,
      wabaId: number.wabaId,
      displayPhoneNumber: number.displayPhoneNumber,
      sent: [],
      retried: [],
      failed: [],
      expired: [...expired].map((m) => ({
        messageId: m.id,
        wamid: m.wamid,
        tenantId: m.tenant_id,
        recipient: m.recipient,
        bizOpaqueCallbackData: opaqueOf(m),
      })),
      released: [],
    };
    if (rows.length === 0) {
      if (expired.size > 0) await this.#record(outcomes);
      return true;
    }
    this.#enter('translating media ids');
    const bodies = await translateIds(this.ctx.sql, number.tenantId, rows.map((r) => r.body));
    const bodyOf = new Map(rows.map((r, i) => [r.id, bodies[i]!]));
    // Last before the sends: a query failing after this would leave messages marked in flight that
    // never left, and the next run would take them for unknown outcomes.
    this.#enter('marking in flight');
    const marked = await markInFlight(this.ctx.sql, rows.map((r) => r.id), new Date(now));
    if (marked.size < rows.length) {
      // Between this claim and this mark another lane took them (the lease passed to another
      // process: this one's lease connection was lost and the dispatcher has not yet noticed), or
      // Meta's status for an earlier attempt of unknown outcome took one off the queue.
      this.ctx.logger.warn(
        { phone_number_id: this.phoneNumberId, claimed: rows.length, marked: marked.size },
        'messages claimed by this lane were taken by another lane (its lease has passed elsewhere), or settled by a status from Meta, before its mark',
      );
      rows = rows.filter((r) => marked.has(r.id));
      if (rows.length === 0) {
        if (expired.size > 0) await this.#record(outcomes);
        return expired.size > 0;
      }
    }
    const chains = new Map<string, QueuedMessage[]>();
    for (const row of rows) {
      const chain = chains.get(row.recipient);
      if (chain) chain.push(row);
      else chains.set(row.recipient, [row]);
    }

    this.#enter('sending');
    const queue = [...chains.values()];
    const concurrency = Math.min(32, Math.max(2, Math.ceil(number.mps / 40)));
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let chain = queue.shift(); chain; chain = queue.shift()) {
          await this.#sendChain(number, token, chain, bodyOf, outcomes);
        }
      }),
    );
    await this.#record(outcomes);
    return outcomes.sent.length + outcomes.failed.length + outcomes.retried.length > 0;
  }

  /**
   * Meta's answers for the round are known here and nowhere else: lost with a failed commit, their
   * messages would stay in flight until a later run recovers them as unknown outcomes (resent after
   * the grace period unless Meta's status comes first). So a commit that failed with its connection
   * (PostgreSQL restarting) is tried again while the pool reconnects — also when the lane is
   * closing (its lease lost with that connection). Only for half the grace period: a lane elsewhere
   * that took the number recovers these messages as unknown and leaves them alone for the grace
   * period, so a late record cannot meet its resend.
   */
  async #record(outcomes: RoundOutcomes): Promise<void> {
    this.#enter('recording outcomes');
    await retryOnConnectionError(
      this.ctx.clock,
      this.ctx.clock.now() + this.ctx.unknownOutcomeGraceMs / 2,
      (again) => recordOutcomes(this.ctx.sql, outcomes, new Date(this.ctx.clock.now()), again),
      (err) => this.ctx.logger.warn({ err, phone_number_id: this.phoneNumberId }, "could not record a round's outcomes: the database connection failed; trying again"),
    );
    this.ctx.metrics.dispatched.inc({}, outcomes.sent.length);
    for (const f of outcomes.failed) this.ctx.metrics.failed.inc({ code: String(f.code) });
    if (outcomes.expired?.length) this.ctx.metrics.failed.inc({ code: String(ErrorCode.Undeliverable) }, outcomes.expired.length);
    for (const r of outcomes.retried) this.ctx.metrics.retried.inc({ reason: String((r.response as { reason?: string })?.reason ?? r.outcome) });
  }

  /**
   * Messages whose time to live passed while they waited in the queue (Meta down or throttling
   * for longer than an authentication code's 10 minutes): sent now, they would arrive too late to
   * be of use, so they fail instead. Not those with an attempt whose outcome is unknown: Meta may
   * have them, and its status decides.
   */
  async #expired(rows: QueuedMessage[], now: number): Promise<Set<QueuedMessage>> {
    const due = rows.filter((r) => r.expires_at !== null && r.expires_at.getTime() <= now);
    if (due.length === 0) return new Set();
    const uncertain = await withUnknownAttempts(this.ctx.sql, due.filter((r) => r.attempts > 0).map((r) => r.id));
    return new Set(due.filter((r) => !uncertain.has(r.id)));
  }

  async #sendChain(
    number: NumberInfo,
    token: string | undefined,
    chain: QueuedMessage[],
    bodyOf: Map<string, Record<string, unknown>>,
    out: RoundOutcomes,
  ): Promise<void> {
    for (let i = 0; i < chain.length; i++) {
      const message = chain[i]!;
      if (this.#closing || !this.#takePair(message.recipient)) {
        out.released.push(...chain.slice(i).map((m) => m.id));
        return;
      }
      await this.#takeThroughput();
      const attempt = message.attempts + 1;
      const startedAt = new Date(this.ctx.clock.now());
      const outcome: GraphOutcome = token
        ? await this.ctx.graph.request('POST', `${number.id}/messages`, { token, json: traced(bodyOf.get(message.id)!, message.wamid) })
        : { kind: 'error', status: 401, error: { message: 'No access token for this WABA', type: 'OAuthException', code: 190, fbtrace_id: '' }, retryable: false };
      const finishedAt = new Date(this.ctx.clock.now());
      const decision = decide(outcome, attempt);
      const base = {
        messageId: message.id,
        attempt,
        startedAt,
        finishedAt,
        httpStatus: outcome.kind === 'ok' || outcome.kind === 'error' ? outcome.status : null,
        metaCode: outcome.kind === 'error' ? outcome.error.code : null,
        response: outcome.kind === 'ok' ? outcome.body : outcome.kind === 'error' ? { error: outcome.error } : { reason: outcome.reason },
      };
      if (decision.kind === 'sent') {
        out.sent.push({ ...base, metaWamid: decision.metaWamid });
        continue;
      }
      if (decision.kind === 'failed') {
        out.failed.push({
          ...base,
          wamid: message.wamid,
          tenantId: message.tenant_id,
          recipient: message.recipient,
          code: decision.code,
          details: decision.details,
          bizOpaqueCallbackData: opaqueOf(message),
        });
        continue;
      }
      // Retry: this message and the rest of its conversation wait, in order.
      if (decision.throttle === 'number') this.#bucket?.drain(this.ctx.clock.now());
      if (decision.throttle === 'pair') this.#pairs.get(message.recipient)?.drain(this.ctx.clock.now());
      if (outcome.kind === 'unknown') this.ctx.metrics.unknownOutcomes.inc({ phone_number_id: number.id });
      // An unknown outcome waits long enough for Meta's `sent` status to say it had the message.
      const delay = outcome.kind === 'unknown' ? Math.max(decision.delayMs, this.ctx.unknownOutcomeGraceMs) : decision.delayMs;
      out.retried.push({
        ...base,
        availableAt: new Date(this.ctx.clock.now() + delay),
        outcome: outcome.kind === 'unknown' ? 'unknown' : 'retry',
        response: { ...base.response, reason: decision.reason },
      });
      out.released.push(...chain.slice(i + 1).map((m) => m.id));
      return;
    }
  }

  #takePair(recipient: string): boolean {
    const now = this.ctx.clock.now();
    let pair = this.#pairs.get(recipient);
    if (!pair) this.#pairs.set(recipient, (pair = new TokenBucket(PAIR_RATE, PAIR_BURST, now)));
    return pair.take(now) === 0;
  }

  /** Recipients whose pair budget is spent; forgets recipients whose budget is whole again. */
  #heldRecipients(now: number): string[] {
    const held: string[] = [];
    for (const [recipient, bucket] of this.#pairs) {
      if (bucket.full(now)) this.#pairs.delete(recipient);
      else if (bucket.peek(now) > 0) held.push(recipient);
    }
    return held;
  }

  async #takeThroughput(): Promise<void> {
    for (;;) {
      const wait = this.#bucket!.take(this.ctx.clock.now());
      if (wait === 0) return;
      await new Promise<void>((resolve) => this.ctx.clock.at(this.ctx.clock.now() + wait, resolve));
    }
  }

  /**
   * Sends another holder left marked in flight become unknown outcomes, retried after the grace
   * period: all of them at the lane's start (a stopped process's), or those marked before
   * `markedBefore` (a lane that lost its lease and never recorded its round).
   */
  async #recoverInFlight(markedBefore?: number): Promise<void> {
    const now = new Date(this.ctx.clock.now());
    const before = markedBefore === undefined ? undefined : new Date(markedBefore);
    const recovered = await recoverInFlight(this.ctx.sql, this.phoneNumberId, now, this.ctx.unknownOutcomeGraceMs, before);
    if (recovered === 0) return;
    this.ctx.metrics.unknownOutcomes.inc({ phone_number_id: this.phoneNumberId }, recovered);
    this.ctx.logger.warn(
      { phone_number_id: this.phoneNumberId, recovered },
      before ? 'in-flight sends another lane left unrecorded retried' : 'in-flight sends of a stopped process retried',
    );
  }

  async #scheduleWake(): Promise<void> {
    const now = this.ctx.clock.now();
    const next = await nextWork(this.ctx.sql, this.phoneNumberId, new Date(now));
    // Marked in flight by another lane (this one has nothing in flight between rounds): the lane
    // of a process that held the number a moment ago, whose record says when they leave the queue
    // and lets their conversations go on. Looked at again each second; left unrecorded for the
    // grace period (that lane stopped without recording its round), they are recovered as
    // unknown outcomes, as at a lane's start.
    let inFlightCheck = Infinity;
    if (next.inFlightSince) {
      const markedBefore = now - this.ctx.unknownOutcomeGraceMs;
      if (next.inFlightSince.getTime() <= markedBefore) {
        await this.#recoverInFlight(markedBefore);
        this.#again = true;
        return;
      }
      inFlightCheck = now + IN_FLIGHT_CHECK_MS;
    }
    // Nothing queued: the lane waits for a NOTIFY (the sweep may retire it meanwhile).
    if (!next.at) {
      if (Number.isFinite(inFlightCheck)) this.#wakeAt(inFlightCheck);
      return;
    }
    let at = next.at.getTime();
    if (at <= now) {
      // What is available now is held back by the pair rate: come back when the first held
      // recipient has budget again (not at once, which would spin on an empty claim).
      let wait = Infinity;
      for (const bucket of this.#pairs.values()) wait = Math.min(wait, bucket.peek(now) || Infinity);
      at = now + (Number.isFinite(wait) ? wait : 1_000);
    }
    this.#wakeAt(Math.min(at, inFlightCheck));
  }

  #wakeAt(at: number): void {
    this.#cancelWake?.();
    this.#cancelWake = this.ctx.clock.at(at, () => {
      this.#cancelWake = undefined;
      this.poke();
    });
  }
}

/** The tenant's own callback data of a message, echoed in its statuses. */
function opaqueOf(message: QueuedMessage): string | undefined {
  return typeof message.body.biz_opaque_callback_data === 'string' ? message.body.biz_opaque_callback_data : undefined;
}
