/**
 * Where the platform's time goes, in the accept run and end to end: the platform restarted with
 * the inspector on, V8's sampling profiler started when the load starts and stopped when it ends,
 * the profile summarised by self time (lib/cpu-profile.ts). The platform is restarted without the
 * inspector afterwards.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchStack } from '../lib/bench-stack.js';
import { summariseProfile } from '../lib/cpu-profile.js';
import { startProfiling, type Profiling } from '../lib/inspector-profile.js';
import { freePort } from '@switchboard/runtime';
import type { EndToEndProfilePhase, ProfilePhase } from '../lib/results.js';
import type { Sizes } from '../sizes.js';
import { acceptPhase } from './accept.js';
import { endToEndPhase } from './end-to-end.js';
import type { World } from './setup-world.js';

/** Hooks that start V8's profiler when the load starts and write the profile when it ends. */
interface ProfilerHooks {
  beforeLoad: () => Promise<void>;
  afterLoad: () => Promise<void>;
}

/**
 * Restarts the platform with the inspector on, runs `run` with hooks that profile exactly around
 * its load (not the wait for a quiet machine before it), summarises the profile, and restarts the
 * platform without the inspector.
 */
async function profiled<T>(stack: BenchStack, outDir: string, name: string, run: (hooks: ProfilerHooks) => Promise<T>) {
  const inspectorPort = await freePort();
  await stack.restartPlatform([`--inspect=127.0.0.1:${inspectorPort}`]);
  try {
    await mkdir(outDir, { recursive: true });
    const file = join(outDir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
    let profiling: Profiling | undefined;
    const result = await run({
      beforeLoad: async () => {
        profiling = await startProfiling(inspectorPort);
      },
      afterLoad: () => profiling!.stop(file),
    });
    return { result, file, summary: await summariseProfile(file) };
  } finally {
    await stack.restartPlatform();
  }
}

export async function profilePhase(stack: BenchStack, sizes: Sizes, world: World, outDir: string): Promise<ProfilePhase> {
  const { result: phase, file, summary } = await profiled(stack, outDir, 'accept', (hooks) =>
    acceptPhase(stack, sizes, {
      label: 'accept while profiled',
      tenant: world.acceptTenant,
      numbers: world.acceptNumbers.slice(0, 1),
      recipientBlock: 30,
      durationMs: sizes.profileMs,
      ...hooks,
    }),
  );
  return { result: phase.result, cpu: phase.cpu, file, summary };
}

/** The end-to-end run again, profiled: what the platform spends its share of the cores on. */
export async function endToEndProfilePhase(stack: BenchStack, sizes: Sizes, world: World, outDir: string): Promise<EndToEndProfilePhase> {
  const { result: phase, file, summary } = await profiled(stack, outDir, 'e2e', (hooks) => endToEndPhase(stack, sizes, world, 130, hooks));
  return { mps: phase.result.mps, cpu: phase.cpu, file, summary };
}
