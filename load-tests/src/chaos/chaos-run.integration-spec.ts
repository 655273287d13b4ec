// `npm run chaos` as a user starts it: a bad schedule is refused before anything starts. The
// real faults (a service killed, a link slowed, every dependency restarted) run in the test
// command's chaos stage (tools/chaos/stage.sh), which counts each fault healed and every
// verifier at 0.
import { spawn } from 'node:child_process';
import { findWorkspaceRoot } from '@suite/testing';

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

describe('npm run chaos', () => {
  it('refuses a bad schedule with exit 2 before it starts anything', async () => {
    const { code, output } = await chaos(['flash-sale', '--faults', 'kill:nobody@1']);
    expect(code).toBe(2);
    expect(output).toMatch(/no service "nobody"/);
    expect(output).not.toMatch(/starting the services/);
  });

  it('refuses a fault of the other stack with exit 2 and names the flag to use', async () => {
    const onNative = await chaos(['flash-sale', '--faults', 'pause:ticketing-1@5']);
    expect(onNative.code).toBe(2);
    expect(onNative.output).toMatch(/a fault of the compose stack; add --target compose/);
    const onCompose = await chaos([
      'flash-sale',
      '--target',
      'compose',
      '--faults',
      'kill:ticketing@5',
    ]);
    expect(onCompose.code).toBe(2);
    expect(onCompose.output).toMatch(/on --target compose there are pause:<service>-<n>/);
    expect(onNative.output + onCompose.output).not.toMatch(/starting the services/);
  });
});
