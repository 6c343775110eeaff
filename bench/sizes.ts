/**
 * How big a run is. `full` is the issue's: 0, 1M and 10M stored messages, 1 vs 1,000 numbers,
 * 1M queued. `small` keeps every phase but shrinks it (0/100k/500k stored, 1 vs 50 numbers, 100k
 * queued, seconds instead of tens of seconds) for CI and development; its figures are not the
 * targets' conditions.
 */
export type SizeName = 'small' | 'full';

export interface Sizes {
  name: SizeName;
  /** Platform processes (SWITCHBOARD_WORKERS). */
  workers: number;
  /** Accept: connections kept busy by the load generator (fixed concurrency). */
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Stored messages for the growth points (the first is the fresh database). */
  stored: number[];
  /** Numbers of the "many numbers" accept point. */
  manyNumbers: number;
  /**
   * End to end. `window` (messages between request and read) must exceed rate × send-to-read
   * latency, or it is the window that is measured: the emulator's users take 1.25 s to read, so
   * 10,000 leaves room for 8,000 msg/s.
   */
  e2e: { numbers: number; connections: number; window: number; warmupMs: number; durationMs: number; drainMs: number };
  /** Queued, not yet dispatchable messages for the memory phase. */
  queued: number;
  profileMs: number;
  /** Longest wait for the rest of the machine to go quiet before a measured phase. */
  quietWaitMs: number;
  /** `--wal`: break the accept and end-to-end phases' WAL down by relation (pg_walinspect). */
  walDetail?: boolean;
}

export const SIZES: Record<SizeName, Sizes> = {
  small: {
    name: 'small',
    workers: 1,
    connections: 64,
    warmupMs: 1_000,
    durationMs: 4_000,
    stored: [0, 100_000, 500_000],
    manyNumbers: 50,
    e2e: { numbers: 4, connections: 32, window: 4_000, warmupMs: 5_000, durationMs: 10_000, drainMs: 60_000 },
    queued: 100_000,
    profileMs: 4_000,
    quietWaitMs: 20_000,
  },
  full: {
    name: 'full',
    workers: 1,
    connections: 64,
    warmupMs: 3_000,
    durationMs: 15_000,
    stored: [0, 1_000_000, 10_000_000],
    manyNumbers: 1_000,
    e2e: { numbers: 10, connections: 32, window: 10_000, warmupMs: 10_000, durationMs: 30_000, drainMs: 240_000 },
    queued: 1_000_000,
    profileMs: 10_000,
    quietWaitMs: 120_000,
  },
};
