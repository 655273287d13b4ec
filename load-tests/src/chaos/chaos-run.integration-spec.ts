// A real chaos run on the native stack, as `npm run chaos` starts it (the integration tier
// holds the stack lock): ticketing is killed mid-sale and comes back on its port, the Redis
// link slows down through toxiproxy, and afterwards every fault is healed, every window is
// in the report and every verifier counts 0.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  findWorkspaceRoot,
  integrationEndpoints,
  isServiceReady,
  requireToxiproxy,
} from '@suite/testing';
import type { RunReport } from '../load/report';

const ROOT = findWorkspaceRoot(__dirname);

function chaos(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'load-tests/src/chaos/main.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run chaos on the native stack', () => {
  it('refuses a bad schedule with exit 2 before it starts anything', async () => {
    const { code, output } = await chaos(['flash-sale', '--faults', 'kill:nobody@1']);
    expect(code).toBe(2);
    expect(output).toMatch(/no service "nobody"/);
    expect(output).not.toMatch(/starting the services/);
  });

  it('heals a killed service and a slowed link, records both windows, and the verifiers see 0', async () => {
    const { code, output } = await chaos([
      'flash-sale',
      '--faults',
      'kill:ticketing@3+2,latency:redis=100ms@25+2',
      '--duration',
      '40',
      '--rate',
      '4',
    ]);
    expect(output).toMatch(/fault kill:ticketing at 3(\.\d)? s/);
    expect(output).toMatch(/fault kill:ticketing healed at/);
    // The error rate may fail while ticketing is down; nothing else may.
    expect([0, 1]).toContain(code);
    const file = /^report: (.+\.json)$/m.exec(output)?.[1];
    expect(file).toBeDefined();
    const report = JSON.parse(readFileSync(file ?? '', 'utf8')) as RunReport;
    expect(report.thresholds.filter((t) => !t.passed).map((t) => t.metric)).not.toContain(
      'violations',
    );
    expect(Object.values(report.verifiers.violations).every((n) => n === 0)).toBe(true);
    const [kill, latency] = report.faults ?? [];
    // Killed at 3 s, started again after 2 s: its window ends once it is ready again, and
    // the traffic runs clean again before the run ends.
    expect(kill).toMatchObject({ name: 'kill:ticketing', verifiersAtZero: true });
    expect(kill?.error).toBeUndefined();
    expect(kill?.atS).toBeGreaterThanOrEqual(3);
    expect(kill?.forS).toBeGreaterThanOrEqual(2);
    expect(kill?.errors).toBeGreaterThan(0);
    expect(kill?.recoveredAfterS).not.toBeNull();
    expect(latency).toMatchObject({ name: 'latency:redis=100ms', verifiersAtZero: true });
    expect(latency?.forS).toBeCloseTo(2, 0);
    expect(await isServiceReady('ticketing', 5_000)).toBe(true);
    const toxiproxy = requireToxiproxy(integrationEndpoints());
    const toxics = await fetch(`${toxiproxy}/proxies/chaos-redis/toxics`);
    expect(await toxics.json()).toEqual([]);
  }, 300_000);
});
