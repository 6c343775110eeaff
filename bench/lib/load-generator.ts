/**
 * The orchestrator's handle on the load-generator process (bench/load/worker.ts): one job at a
 * time over IPC, each bounded by a timeout.
 */
import type { EndToEndJob, EndToEndResult, FromWorker, Job, JobResult, LoadJob, LoadResult } from '../load/protocol.js';
import { spawnTs, type Proc } from './processes.js';

export class LoadGenerator {
  #nextId = 1;

  private constructor(
    readonly proc: Proc,
    readonly receiverUrl: string,
  ) {}

  static async start(): Promise<LoadGenerator> {
    const proc = spawnTs('load generator', 'load/worker.ts', [], true);
    const ready = await new Promise<Extract<FromWorker, { type: 'ready' }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`load generator not ready within 30 s\n${proc.stderr.join('')}`)), 30_000);
      proc.child.on('message', (m: FromWorker) => {
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        resolve(m);
      });
      void proc.exited.then((code) => reject(new Error(`load generator exited (${code})\n${proc.stderr.join('')}`)));
    });
    return new LoadGenerator(proc, ready.receiverUrl);
  }

  get pid(): number {
    return this.proc.pid;
  }

  load(job: Omit<LoadJob, 'kind'>): Promise<LoadResult> {
    return this.#run({ kind: 'load', ...job }, job.warmupMs + job.durationMs + 60_000) as Promise<LoadResult>;
  }

  endToEnd(job: Omit<EndToEndJob, 'kind'>): Promise<EndToEndResult> {
    return this.#run({ kind: 'e2e', ...job }, job.warmupMs + job.durationMs + job.drainMs + 60_000) as Promise<EndToEndResult>;
  }

  #run(job: Job, timeoutMs: number): Promise<JobResult> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.proc.child.off('message', onMessage);
        reject(new Error(`load job ${job.kind} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (m: FromWorker) => {
        if (m.type === 'ready' || m.id !== id) return;
        clearTimeout(timer);
        this.proc.child.off('message', onMessage);
        if (m.type === 'result') resolve(m.result);
        else reject(new Error(`load job ${job.kind} failed: ${m.message}`));
      };
      this.proc.child.on('message', onMessage);
      this.proc.child.send({ type: 'job', id, job });
    });
  }

  async stop(): Promise<void> {
    if (this.proc.child.connected) this.proc.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.proc.child.kill('SIGKILL'), 10_000);
    await this.proc.exited;
    clearTimeout(timer);
  }
}
