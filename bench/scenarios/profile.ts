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

export async function profilePhase(stack: BenchStack, sizes: Sizes, world: World, outDir: string): Promise<ProfilePhase> {
  const inspectorPort = await freePort();
  await stack.restartPlatform([`--inspect=127.0.0.1:${inspectorPort}`]);
  try {
    await mkdir(outDir, { recursive: true });
    const file = join(outDir, `accept-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
    let profiling: Profiling | undefined;
    const phase = await acceptPhase(stack, sizes, {
      label: 'accept while profiled',
      tenant: world.acceptTenant,
      numbers: world.acceptNumbers.slice(0, 1),
      recipientBlock: 30,
      durationMs: sizes.profileMs,
      // Exactly around the load (warm-up included), not the wait for a quiet machine before it.
      beforeLoad: async () => {
        profiling = await startProfiling(inspectorPort);
      },
      afterLoad: () => profiling!.stop(file),
    });
    return { result: phase.result, cpu: phase.cpu, file, summary: await summariseProfile(file) };
  } finally {
    await stack.restartPlatform();
  }
}

/** The end-to-end run again, profiled: what the platform spends its share of the cores on. */
export async function endToEndProfilePhase(stack: BenchStack, sizes: Sizes, world: World, outDir: string): Promise<EndToEndProfilePhase> {
  const inspectorPort = await freePort();
  await stack.restartPlatform([`--inspect=127.0.0.1:${inspectorPort}`]);
  try {
    await mkdir(outDir, { recursive: true });
    const file = join(outDir, `e2e-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
    let profiling: Profiling | undefined;
    const phase = await endToEndPhase(stack, sizes, world, 130, {
      beforeLoad: async () => {
        profiling = await startProfiling(inspectorPort);
      },
      afterLoad: () => profiling!.stop(file),
    });
    return { mps: phase.result.mps, cpu: phase.cpu, file, summary: await summariseProfile(file) };
  } finally {
    await stack.restartPlatform();
  }
}
