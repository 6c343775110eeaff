/**
 * The benchmark's child processes: the platform (`switchboard serve`), the emulator
 * (`switchboard emulator`), the bare server and the load generator. Each is a real process on
 * loopback; waits for a line are bounded; stop() sends SIGTERM and, if the process has not gone
 * after a grace period, SIGKILL. Everything still running when the orchestrator exits is killed.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SWITCHBOARD_BIN = fileURLToPath(new URL('../../packages/cli/bin/switchboard.js', import.meta.url));

export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | string>;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(graceMs?: number): Promise<number | string>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function track(name: string, child: ChildProcess): Proc {
  running.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let buffer = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (stdout.length < 10_000) stdout.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 1_000) stderr.push(chunk);
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? -1);
    }),
  );
  return {
    name,
    child,
    pid: child.pid!,
    stdout,
    stderr,
    exited,
    waitForLine: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const found = stdout.find((l) => pattern.test(l));
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms\n${tail(stdout, stderr)}`)), timeoutMs);
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (${code}) before printing ${pattern}\n${tail(stdout, stderr)}`));
        });
      }),
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

function tail(stdout: string[], stderr: string[]): string {
  return [...stdout.slice(-10), ...stderr.slice(-10)].join('\n');
}

/** `switchboard <args>` as its own Node process; `nodeArgs` go to node itself (e.g. --cpu-prof). */
export function spawnSwitchboard(name: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): Proc {
  const child = spawn(process.execPath, [...nodeArgs, SWITCHBOARD_BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(name, child);
}

/** A TypeScript file of the benchmark as its own process (through tsx); `ipc` adds the fork channel. */
export function spawnTs(name: string, file: string, args: string[] = [], ipc = false): Proc {
  const path = fileURLToPath(new URL(`../${file}`, import.meta.url));
  const child = ipc
    ? fork(path, args, { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
    : spawn(process.execPath, ['--import', 'tsx', path, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return track(name, child);
}
