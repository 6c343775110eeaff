/**
 * A token bucket on the emulator's clock: `capacity` tokens, refilled continuously at `perMs`
 * tokens per millisecond. Plain data plus functions, because the pair limiter keeps one per
 * (number, user) pair and a class per pair would only add weight.
 */
export interface Bucket {
  tokens: number;
  at: number;
}

export function fullBucket(capacity: number, now: number): Bucket {
  return { tokens: capacity, at: now };
}

/** Tops the bucket up to `now` and returns the tokens available. */
export function refill(bucket: Bucket, capacity: number, perMs: number, now: number): number {
  if (now > bucket.at) {
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
  } else if (bucket.tokens > capacity) {
    bucket.tokens = capacity;
  }
  return bucket.tokens;
}
