import { readFileSync } from 'node:fs';

// Where a V8 CPU profile (.cpuprofile) spent a process' busy time, for the benches' results
// files: self time by function and by place (a package under node_modules, node's own
// internals, a service's bundle), and the time with a place anywhere on the stack (its
// callees included). Samples are weighted by their time deltas; idle and (program) samples
// are not busy time.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfileShares {
  // Busy time sampled, in µs.
  busyUs: number;
  // µs by key; shares of busyUs are what the benches print.
  byFrame: Map<string, number>;
  byPlace: Map<string, number>;
  onStack: Map<string, number>;
}

export interface CpuProfileOptions {
  // A sample whose stack holds a frame this returns true for is left out entirely (module
  // loading at start-up, the profiler's own control code).
  leaveOut?: (frame: ProfileNode['callFrame']) => boolean;
}

export function placeOf(url: string): string {
  if (url === '') return 'native / GC';
  if (url.startsWith('node:')) return 'node internals';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules?.[1]) return inModules[1];
  const bundle = /dist\/apps\/([^/]+)\//.exec(url);
  if (bundle?.[1]) return `${bundle[1]} bundle`;
  return url.replace(/^file:\/\//, '');
}

export function readCpuProfile(file: string, options: CpuProfileOptions = {}): CpuProfileShares {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas?: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) node.children?.forEach((c) => parent.set(c, node.id));
  const shares: CpuProfileShares = {
    busyUs: 0,
    byFrame: new Map(),
    byPlace: new Map(),
    onStack: new Map(),
  };
  const add = (map: Map<string, number>, key: string, us: number) =>
    map.set(key, (map.get(key) ?? 0) + us);
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(program)') return;
    const places = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const above = byId.get(at)?.callFrame;
      if (!above || above.functionName === '(root)') continue;
      if (options.leaveOut?.(above)) return;
      places.add(placeOf(above.url));
    }
    // Without time deltas (a hand-made profile) every sample counts one tick.
    const us = profile.timeDeltas?.[i] ?? 1;
    const place = placeOf(frame.url);
    shares.busyUs += us;
    places.forEach((p) => add(shares.onStack, p, us));
    add(shares.byPlace, place, us);
    const line = frame.url ? `:${frame.lineNumber + 1}` : '';
    add(shares.byFrame, `${frame.functionName || '(anonymous)'} (${place}${line})`, us);
  });
  return shares;
}

// The `count` largest entries of a map as [key, percent of busy time], largest first.
export function topShares(
  shares: CpuProfileShares,
  map: Map<string, number>,
  count: number,
  skip: readonly string[] = [],
): [string, string][] {
  return [...map.entries()]
    .filter(([key]) => !skip.includes(key))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, us]) => [key, `${((100 * us) / Math.max(1, shares.busyUs)).toFixed(1)}%`]);
}
