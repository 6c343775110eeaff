/**
 * Graceful shutdown on SIGINT/SIGTERM: run the stop steps in order (stop accepting, drain, close
 * pools, stop PostgreSQL), once, then exit. A second signal while stopping exits at once.
 */
export type StopStep = () => Promise<void>;

export function onShutdown(steps: StopStep[], log: (msg: string) => void = () => undefined): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting without waiting`);
      process.exit(130);
    }
    stopping = true;
    log(`${signal}: stopping`);
    void runStopSteps(steps, log).then((code) => process.exit(code));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Runs the stop steps in order, each even if an earlier one failed; resolves with the exit code (1 if one failed). */
export async function runStopSteps(steps: StopStep[], log: (msg: string) => void): Promise<number> {
  let code = 0;
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      code = 1;
      log(`while stopping: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return code;
}
