/**
 * What the orchestrator asks of the load-generator process and what it answers, over the IPC
 * channel of `child_process.fork`. Plain JSON: no functions, no class instances.
 */

/** A number to send from, and the bearer token that may (tenant API key, or Meta's token when direct). */
export interface Sender {
  phoneNumberId: string;
  token: string;
}

/** Closed loop: `connections` requests always outstanding for `warmupMs + durationMs`. */
export interface LoadJob {
  kind: 'load';
  /** Origin of the server under test (platform, bare server). */
  origin: string;
  senders: Sender[];
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Recipients of this job are recipientFor(recipientBlock, n): never shared between jobs (the pair rate is per number and user). */
  recipientBlock: number;
}

/**
 * Send to read: each message holds one of `window` permits from its request until its `read`
 * status reaches the receiver, so the pipeline never grows without bound and the read rate
 * during sending is what the system sustains.
 */
export interface EndToEndJob {
  kind: 'e2e';
  origin: string;
  senders: Sender[];
  connections: number;
  window: number;
  warmupMs: number;
  durationMs: number;
  /** After sending stops, how long to wait for the reads still owed. */
  drainMs: number;
  recipientBlock: number;
  /** Messages per second per number the generator itself holds to (direct to the emulator); 0: none. */
  paceMps: number;
}

export type Job = LoadJob | EndToEndJob;

export interface Percentiles {
  min: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface LoadResult {
  kind: 'load';
  requests: number;
  /** Answers other than 200 in the measured interval, by status ("error" for no answer). */
  failures: Record<string, number>;
  seconds: number;
  rps: number;
  latencyMs: Percentiles;
  /** Requests of the warm-up (not counted above). */
  warmupRequests: number;
  /** The first failed answer's status and body, to say why. */
  failureSample?: string;
}

export interface EndToEndResult {
  kind: 'e2e';
  accepted: number;
  failures: Record<string, number>;
  /** Sends the generator had to retry because the server refused them for throughput (130429). */
  throttled: number;
  /** `read` statuses that reached the receiver in the measured interval. */
  readsInWindow: number;
  seconds: number;
  /** Reads per second in the measured interval: the sustained end-to-end rate. */
  mps: number;
  /** Accepted messages whose `read` never came before the drain deadline. */
  missingReads: number;
  /** Request start to the receiver having the `read` status. */
  latencyMs: Percentiles;
  /** The job's window: with mps near window / latency, the window (not the system) set the rate. */
  window: number;
  statusPosts: number;
  statusesReceived: Record<string, number>;
}

export type JobResult = LoadResult | EndToEndResult;

export type FromOrchestrator = { type: 'job'; id: number; job: Job } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; receiverUrl: string; pid: number }
  | { type: 'result'; id: number; result: JobResult }
  | { type: 'failed'; id: number; message: string };
