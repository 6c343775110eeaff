/** What a run records: the JSON file's shape. */
import type { EndToEndResult, LoadResult } from '../load/protocol.js';
import type { CostPerMessage } from './cost.js';
import type { ProfileSummary } from './cpu-profile.js';
import type { Machine } from './machine.js';
import type { StatementStat } from './postgres.js';
import type { DepthSummary } from './queue-depths.js';

export interface LoadPhase {
  label: string;
  numbers: number;
  storedAtStart: number;
  result: LoadResult;
  /** % of one core per process group over the phase (warm-up included). */
  cpu: Record<string, number>;
  /** Accepted messages per committed transaction in the database (group commit at work); platform phases only. */
  messagesPerCommit?: number;
  /** What a message cost each process and the database (its `transactions` count the round trips group commit does not amortise); platform phases only. */
  cost?: CostPerMessage;
}

export interface EndToEndPhase {
  label: string;
  numbers: number;
  result: EndToEndResult;
  cpu: Record<string, number>;
  /** What a message cost each process (and, through the platform, the database). */
  cost?: CostPerMessage;
  /** Platform only: Meta's throttling answers to the dispatcher (0 when it holds every limit), by code. */
  throttledByMeta?: Record<string, number>;
  /** Platform only: the most sends one number made to the emulator in any one second. */
  peakPerNumberPerSecond?: number;
  /** Platform only: the depth of each of the platform's queues, once a second. */
  queueDepths?: DepthSummary;
  /** Platform only: Meta's webhook POSTs of the phase, their changes, and changes processed per second (first received to last processed). */
  inboundWebhooks?: { events: number; changes: number; changesPerSecond: number };
}

export interface MemoryPhase {
  queued: number;
  rssAtStartMb: number;
  /** Queued and idle: after two dispatcher sweeps over them. */
  rssQueuedIdleMb: number;
  /** Queued, after an accept load of the phase's length. */
  rssQueuedAfterLoadMb: number;
  peakMb: number;
  acceptDuringMemory: LoadResult;
}

export interface ProfilePhase {
  /** The accept run while profiling (slower than unprofiled). */
  result: LoadResult;
  file: string;
  summary: ProfileSummary;
  cpu: Record<string, number>;
}

export interface EndToEndProfilePhase {
  /** The end-to-end rate while profiled (lower than unprofiled). */
  mps: number;
  file: string;
  summary: ProfileSummary;
  cpu: Record<string, number>;
}

export interface Target {
  name: string;
  target: string;
  value: string;
  met: boolean;
}

export interface RunReport {
  date: string;
  /** The commit measured (short hash), and whether packages/ had uncommitted changes. */
  commit: string;
  size: string;
  machine: Machine;
  postgres: { version: string; settings: Record<string, string> };
  durationsMs: Record<string, number>;
  /** With --pg-stats: PostgreSQL's costliest statements in each phase. */
  statements?: Record<string, StatementStat[]>;
  bare?: LoadPhase;
  accept?: LoadPhase;
  acceptManyNumbers?: LoadPhase;
  /** The accept point with the other worker count (2 processes when the run uses 1). */
  acceptWorkers?: LoadPhase;
  endToEnd?: EndToEndPhase;
  direct?: EndToEndPhase;
  growth: LoadPhase[];
  memory?: MemoryPhase;
  profile?: ProfilePhase;
  profileEndToEnd?: EndToEndProfilePhase;
  ratios: { acceptToBare?: number; endToEndToDirect?: number; growthRps?: number; growthP99?: number };
  targets: Target[];
}
