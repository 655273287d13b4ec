// Another instance of a service that the stack runner started: the same command line, working
// directory and environment as the running instance (read from /proc, so Linux only, like the
// native stack), on a port of its own. The runner keeps one instance per service; the demo's
// scheduler and crawler sections and the scaling benchmark need more of the same deployment,
// configured exactly as the first, which is what copying its environment guarantees.
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from '@suite/contracts';
import { freePort, running } from '@suite/testing';
import { workspaceRoot } from './results';

export interface Replica {
  service: ServiceName;
  pid: number;
  port: number;
  url: string;
  // Resolves once the process is gone (SIGTERM: its graceful stop; SIGKILL: at once).
  kill(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

const nulSeparated = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\0')
    .filter((s) => s.length > 0);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const live = new Set<number>();
// A demo or benchmark that dies leaves no replica behind.
process.once('exit', () => {
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

async function ready(url: string, timeoutMs: number, pid: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive(pid)) {
    const ok = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

// `index` names the replica's log: .local/logs/<service>-<index>.log.
export async function startReplica(
  service: ServiceName,
  index: number,
  env: Record<string, string> = {},
): Promise<Replica> {
  const original = running(service);
  if (!original) throw new Error(`${service} is not running: start the stack first`);
  const [command = process.execPath, ...args] = nulSeparated(`/proc/${original.pid}/cmdline`);
  const inherited = Object.fromEntries(
    nulSeparated(`/proc/${original.pid}/environ`).map((entry) => {
      const at = entry.indexOf('=');
      return [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
  const port = await freePort();
  const out = openSync(join(workspaceRoot, '.local/logs', `${service}-${index}.log`), 'a');
  const child = spawn(command, args, {
    cwd: workspaceRoot,
    env: { ...inherited, ...env, PORT: String(port) },
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${service} replica ${index} could not be spawned`);
  live.add(pid);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const replica: Replica = {
    service,
    pid,
    port,
    url,
    async kill(signal = 'SIGTERM') {
      if (alive(pid)) {
        process.kill(pid, signal);
        const gone = await Promise.race([
          exited.then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), 10_000)),
        ]);
        if (!gone) process.kill(pid, 'SIGKILL');
      }
      live.delete(pid);
    },
  };
  if (!(await ready(url, 60_000, pid))) {
    await replica.kill('SIGKILL');
    throw new Error(`${service} replica ${index} was not ready within 60 s; read its log`);
  }
  return replica;
}
