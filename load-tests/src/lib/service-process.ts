// One service started from its source as a child process, configured the way it ships: by
// environment variables. For benchmarks that compare two configurations of one service side
// by side, which the stack runner (one instance per service) cannot do.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePort } from '@suite/testing';
import { workspaceRoot } from './results';

export interface ServiceProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startServiceProcess(
  app: string,
  env: Record<string, string>,
  options: { readyPath?: string; timeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const port = await freePort();
  const child: ChildProcess = fork(join(workspaceRoot, `apps/${app}/src/main.ts`), [], {
    cwd: workspaceRoot,
    execArgv: ['-r', '@swc-node/register'],
    env: {
      ...process.env,
      SWC_NODE_PROJECT: join(workspaceRoot, 'tsconfig.base.json'),
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const ready = () =>
    fetch(`${url}${options.readyPath ?? '/health/ready'}`).then(
      (r) => r.ok,
      () => false,
    );
  while (!(await ready())) {
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode} at start`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${app} was not ready within ${(options.timeoutMs ?? 60_000) / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, port, stop };
}
