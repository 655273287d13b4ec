import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { placeOf, readCpuProfile, topShares } from './cpu-profile';

const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
  id,
  callFrame: { functionName, url, lineNumber: 9 },
  children,
});

describe('CPU profile shares', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpu-profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // root -> handler (bundle) -> query (pg); root -> (idle); root -> load (start-up) -> parse
  const file = join(dir, 'p.cpuprofile');
  writeFileSync(
    file,
    JSON.stringify({
      nodes: [
        frame(1, '(root)', '', [2, 4, 5]),
        frame(2, 'handle', 'file:///srv/dist/apps/ticketing/main.js', [3]),
        frame(3, 'query', 'file:///srv/node_modules/pg/lib/client.js'),
        frame(4, '(idle)', ''),
        frame(5, 'Module._load', 'node:internal/modules/cjs/loader', [6]),
        frame(6, 'parse', 'node:internal/modules/cjs/loader'),
      ],
      samples: [2, 3, 3, 4, 6],
      timeDeltas: [100, 200, 100, 5000, 700],
    }),
  );

  it('weighs samples by time, leaves idle and left-out stacks out, and shares by place', () => {
    const shares = readCpuProfile(file, {
      leaveOut: (f) => f.functionName === 'Module._load',
    });
    expect(shares.busyUs).toBe(400);
    expect(topShares(shares, shares.byPlace, 5)).toEqual([
      ['pg', '75.0%'],
      ['ticketing bundle', '25.0%'],
    ]);
    expect(shares.onStack.get('ticketing bundle')).toBe(400);
    expect(topShares(shares, shares.byFrame, 1)).toEqual([['query (pg:10)', '75.0%']]);
  });

  it('counts the start-up stack when nothing is left out', () => {
    expect(readCpuProfile(file).busyUs).toBe(1100);
  });

  it('names places', () => {
    expect(placeOf('')).toBe('native / GC');
    expect(placeOf('node:net')).toBe('node internals');
    expect(placeOf('file:///x/node_modules/@nestjs/core/a.js')).toBe('@nestjs/core');
    expect(placeOf('file:///x/dist/apps/gateway/main.js')).toBe('gateway bundle');
  });
});
