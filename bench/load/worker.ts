/**
 * The load-generator process (started by the orchestrator with fork, run through tsx): runs one
 * job at a time as the orchestrator asks over IPC, and hosts the webhook receiver that counts
 * `read` statuses for the end-to-end runs. It exits when told to, or when its parent goes away.
 */
import { runClosedLoop } from './closed-loop.js';
import type { FromOrchestrator, FromWorker, JobResult } from './protocol.js';
import { runSendToRead } from './send-to-read.js';
import { startStatusReceiver } from './status-receiver.js';

const receiver = await startStatusReceiver();

function tell(message: FromWorker): void {
  process.send?.(message);
}

async function exit(code: number): Promise<never> {
  await receiver.close().catch(() => undefined);
  process.exit(code);
}

process.on('disconnect', () => void exit(0));
process.on('message', (message: FromOrchestrator) => {
  if (message.type === 'stop') {
    void exit(0);
    return;
  }
  const { id, job } = message;
  const run: Promise<JobResult> = job.kind === 'load' ? runClosedLoop(job) : runSendToRead(job, receiver);
  run.then(
    (result) => tell({ type: 'result', id, result }),
    (err: unknown) => tell({ type: 'failed', id, message: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});

tell({ type: 'ready', receiverUrl: receiver.url, pid: process.pid });
