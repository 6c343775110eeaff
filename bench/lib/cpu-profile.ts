/**
 * Summarises a V8 CPU profile (`node --cpu-prof`) by self time: per function, per source file and
 * per area (the platform's own modules, the other workspace packages, each dependency, Node's
 * internals, garbage collection). Idle time is left out of the shares: they say where the busy
 * time of the process went.
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Share {
  name: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  byArea: Share[];
  byFile: Share[];
  byFunction: Share[];
}

function relative(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + 1);
  const packages = path.indexOf('/packages/');
  if (packages >= 0) return path.slice(packages + 1);
  return path;
}

function areaOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(program)') return 'V8/native (program)';
    if (functionName === '(idle)') return 'idle';
    return `native: ${functionName || '(anonymous)'}`;
  }
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
  const path = relative(url);
  if (path.startsWith('node_modules/')) {
    const parts = path.split('/');
    return `dep: ${parts[1]!.startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1]}`;
  }
  if (path.startsWith('packages/')) {
    const parts = path.split('/');
    // packages/platform/src/messaging/accept/x.ts → platform/messaging
    return parts[2] === 'src' && parts.length > 4 ? `${parts[1]}/${parts[3]}` : `${parts[1]}`;
  }
  return path;
}

function top(map: Map<string, number>, busy: number, n: number): Share[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: Math.round(us / 1_000), percent: Math.round((us / busy) * 1_000) / 10 }));
}

export async function summariseProfile(file: string): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  const firstCaller = (node: ProfileNode): ProfileNode | undefined => {
    let caller = parentOf.get(node.id);
    while (caller && (!caller.callFrame.url || caller.callFrame.url.startsWith('node:'))) caller = parentOf.get(caller.id);
    return caller;
  };
  // A native function (a syscall wrapper such as writeBuffer) says little alone: name the first
  // caller outside Node's internals (the library or module that wrote to the socket).
  const label = (node: ProfileNode): string => {
    const { functionName, url, lineNumber } = node.callFrame;
    if (url) return `${functionName || '(anonymous)'} ${relative(url)}:${lineNumber + 1}`;
    const caller = firstCaller(node);
    const via = caller ? ` ← ${caller.callFrame.functionName || '(anonymous)'} ${relative(caller.callFrame.url)}` : '';
    return `${functionName || '(anonymous)'}${via}`;
  };
  const self = new Map<number, number>();
  // timeDeltas[i] is the time since the previous sample: attribute it to sample i.
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const areas = new Map<string, number>();
  const files = new Map<string, number>();
  const functions = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    let area = areaOf(node);
    // Native work (socket writes above all) is counted with the library that asked for it.
    if (area.startsWith('native: ')) {
      const caller = firstCaller(node);
      if (caller) area = `${areaOf(caller)} (${area})`;
    }
    if (area === 'idle') {
      idle += us;
      continue;
    }
    busy += us;
    areas.set(area, (areas.get(area) ?? 0) + us);
    const file = node.callFrame.url ? relative(node.callFrame.url) : area;
    files.set(file, (files.get(file) ?? 0) + us);
    const fn = label(node);
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  return {
    busyMs: Math.round(busy / 1_000),
    idleMs: Math.round(idle / 1_000),
    byArea: top(areas, busy, 25),
    byFile: top(files, busy, 30),
    byFunction: top(functions, busy, 40),
  };
}
