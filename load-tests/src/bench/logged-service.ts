// One service started from its sources as its own process, configured by environment as it
// ships, with its log lines going to .local/logs/<name>.log rather than the benchmark's
// terminal (at LOG_LEVEL=info a service writes one line per request). Optionally under
// `node --cpu-prof`, the profile written to .local/profiles/ when the service stops.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from '@suite/contracts';
import { killAndWait } from '@suite/testing';
import { workspaceRoot } from '../lib/results';

export interface LoggedService {
  name: string;
  url: string;
  // The service's process id.
  pid?: number;
  stop(): Promise<void>;
}

export async function startLoggedService(
  service: ServiceName,
  env: Record<string, string>,
  options: {
    port: number;
    logName: string;
    profile?: boolean;
    readyPath?: string;
    // Another checkout of the repository to run the service from (for a before/after in
    // one run); this one by default.
    root?: string;
    name?: string;
  },
): Promise<LoggedService> {
  const logs = join(workspaceRoot, '.local/logs');
  const profiles = join(workspaceRoot, '.local/profiles');
  mkdirSync(logs, { recursive: true });
  mkdirSync(profiles, { recursive: true });
  const out = openSync(join(logs, `${options.logName}.log`), 'w');
  const profile = options.profile ? ['--cpu-prof', '--cpu-prof-dir', profiles] : [];
  const root = options.root ?? workspaceRoot;
  const child = spawn(
    process.execPath,
    [...profile, '-r', '@swc-node/register', `apps/${service}/src/main.ts`],
    {
      cwd: root,
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        SWC_NODE_PROJECT: join(root, `apps/${service}/tsconfig.json`),
        HOST: '127.0.0.1',
        PORT: String(options.port),
        ...env,
      },
      stdio: ['ignore', out, out],
    },
  );
  const url = `http://127.0.0.1:${options.port}`;
  const stop = () => killAndWait(child, 'SIGTERM');
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `${service} exited with ${child.exitCode} at start; read ${options.logName}.log`,
      );
    }
    const ok = await fetch(`${url}${options.readyPath ?? '/health/ready'}`, {
      signal: AbortSignal.timeout(1_000),
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { name: options.name ?? service, url, pid: child.pid, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${service} was not ready within 90 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
