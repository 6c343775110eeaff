/**
 * CPU time and memory of processes, read from /proc (Linux): where the machine's two cores went
 * during a phase, and the platform's resident memory.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** utime + stime of a process in seconds (0 if it is gone). */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state(0) ppid(1) … utime(11) stime(12).
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** A process and its children (the postmaster and its backends; the platform's primary and its workers). */
export function withChildren(pid: number): number[] {
  const pids = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (parentOf(Number(entry)) === pid) pids.push(Number(entry));
  }
  return pids;
}

export const postgresPids = withChildren;

export type CpuGroups = Record<string, () => number[]>;

export interface CpuSample {
  at: number;
  seconds: Record<string, number>;
}

/** Busy CPU seconds of the whole machine (every core), from /proc/stat. */
function machineBusy(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …: busy is all but idle and iowait.
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - fields[3]! - fields[4]!) / TICKS_PER_SECOND;
}

/**
 * CPU seconds per group, and under "other" what the rest of the machine used: other people's
 * work on a shared machine shows here instead of silently lowering the figures.
 */
export function sampleCpu(groups: CpuGroups): CpuSample {
  const seconds: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) seconds[name] = pids().reduce((sum, pid) => sum + cpuOf(pid), 0);
  seconds.other = machineBusy() - Object.values(seconds).reduce((a, b) => a + b, 0);
  return { at: performance.now(), seconds };
}

/**
 * Share of one core each group used between two samples (100 = one core busy). Processes that
 * exit between the samples (short-lived PostgreSQL backends) are missed: the pools keep theirs.
 */
export function cpuShare(before: CpuSample, after: CpuSample): Record<string, number> {
  const wall = (after.at - before.at) / 1_000;
  const share: Record<string, number> = {};
  for (const [name, s] of Object.entries(after.seconds)) {
    share[name] = Math.round(((s - (before.seconds[name] ?? 0)) / wall) * 100);
  }
  return share;
}

/** Resident memory now and at its peak, in MB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/**
 * Waits (bounded) until the machine is nearly idle before a measurement: the rest of the machine
 * ("other": other people's work on a shared machine) below `maxOtherPercent` of one core, and
 * every group of ours below `maxOwnPercent` (background work left from the previous phase — the
 * platform syncing the templates of a thousand new WABAs with the emulator, a checkpoint — must
 * not land in the next phase either), over a 2-second look. Returns the last shares seen.
 */
export async function waitForQuiet(groups: CpuGroups, maxWaitMs: number, maxOtherPercent = 25, maxOwnPercent = 5): Promise<Record<string, number>> {
  const until = Date.now() + maxWaitMs;
  for (;;) {
    const before = sampleCpu(groups);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const share = cpuShare(before, sampleCpu(groups));
    const busyOwn = Object.entries(share).some(([name, p]) => name !== 'other' && p > maxOwnPercent);
    if (((share.other ?? 0) <= maxOtherPercent && !busyOwn) || Date.now() >= until) return share;
  }
}
