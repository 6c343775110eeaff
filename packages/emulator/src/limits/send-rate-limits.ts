/**
 * The two throttles Meta applies synchronously to a send (reference §4.1):
 * - throughput per business number: PhoneNumber.mps messages per second (80 by default), a
 *   bucket holding one second's worth; over it → 130429;
 * - pair rate per (number, user): one message per 6 s with bursts of up to 45, a bucket of 45
 *   refilled at 1/6 per second (a 20-message burst borrows the next two minutes); over it → 131056.
 * A send takes a token from both or from neither, so a refused send does not eat quota.
 */
import { ErrorCode, GraphError } from '@switchboard/wire';
import { BoundedMap } from '../state/bounded.js';
import type { PhoneNumber } from '../state/types.js';
import { fullBucket, refill, type Bucket } from './token-bucket.js';

export const PAIR_BURST = 45;
export const PAIR_INTERVAL_MS = 6_000;
/** Pairs remembered; a forgotten pair starts again with a full bucket, as after a long pause. */
const PAIR_LIMIT = 200_000;

export class SendRateLimits {
  readonly #numbers = new Map<string, Bucket>();
  readonly #pairs = new BoundedMap<string, Bucket>(PAIR_LIMIT);

  /** Throws 130429 or 131056 when the send must wait; otherwise takes one token of each bucket. */
  admit(phone: PhoneNumber, waId: string, now: number): void {
    const mps = phone.mps > 0 ? phone.mps : 80;
    let number = this.#numbers.get(phone.id);
    if (!number) this.#numbers.set(phone.id, (number = fullBucket(mps, now)));
    if (refill(number, mps, mps / 1_000, now) < 1) {
      throw new GraphError(ErrorCode.RateLimitHit, {
        subcode: 2494055,
        details: `Message failed to send because this phone number reached its throughput limit of ${mps} messages per second.`,
      });
    }
    const key = `${phone.id}:${waId}`;
    let pair = this.#pairs.get(key);
    if (!pair) this.#pairs.set(key, (pair = fullBucket(PAIR_BURST, now)));
    if (refill(pair, PAIR_BURST, 1 / PAIR_INTERVAL_MS, now) < 1) {
      throw new GraphError(ErrorCode.PairRateLimit, {
        details:
          'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
      });
    }
    number.tokens -= 1;
    pair.tokens -= 1;
  }

  clear(): void {
    this.#numbers.clear();
    this.#pairs.clear();
  }
}
