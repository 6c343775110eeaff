/**
 * V8's CPU profiler on another process, started and stopped exactly around a phase: the process
 * runs with `--inspect=127.0.0.1:<port>`, and the orchestrator drives the profiler over the
 * inspector protocol. (`--cpu-prof` would profile the whole life of the process, start-up and
 * shutdown included, which is not the hot path we want to see.)
 */
import { writeFile } from 'node:fs/promises';
import { WebSocket } from 'undici';

export interface Profiling {
  /** Stops the profiler and writes the profile (.cpuprofile, readable by Chrome DevTools) to `file`. */
  stop(file: string): Promise<void>;
}

export async function startProfiling(inspectorPort: number, samplingIntervalUs = 500): Promise<Profiling> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${inspectorPort}`);
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error(`could not connect to the inspector at ${url}`)), { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (err: Error) => void }>();
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(message.error.message));
    else waiter?.resolve(message.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}, timeoutMs = 30_000) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`inspector ${method}: no answer within ${timeoutMs} ms`)), timeoutMs);
      pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
  await call('Profiler.start');
  return {
    async stop(file) {
      const { profile } = (await call('Profiler.stop', {}, 120_000)) as { profile: unknown };
      await writeFile(file, JSON.stringify(profile));
      await call('Profiler.disable').catch(() => undefined);
      ws.close();
    },
  };
}
