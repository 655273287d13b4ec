import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import Redis from 'ioredis';

export interface RedisServerOptions {
  port: number;
  // Working directory of the process (cluster nodes keep nodes.conf there); default: cwd.
  dir?: string;
  // Extra redis-server arguments, e.g. ['--cluster-enabled', 'yes'].
  extraArgs?: readonly string[];
}

// Every test redis-server: loopback only, nothing on disk, like the stack's Redis. A restart
// loses every key (cluster nodes keep only their nodes.conf, which is not data).
export function redisServerArgs(options: RedisServerOptions): string[] {
  return [
    '--port',
    String(options.port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--protected-mode',
    'no',
    ...(options.dir === undefined ? [] : ['--dir', options.dir]),
    ...(options.extraArgs ?? []),
  ];
}

/** Starts redis-server and resolves once it answers PING (bounded by timeoutMs). */
export async function launchRedisServer(
  options: RedisServerOptions,
  timeoutMs = 10_000,
): Promise<ChildProcess> {
  const child = spawn('redis-server', redisServerArgs(options), {
    stdio: 'ignore',
    cwd: options.dir,
  });
  const probe = new Redis(options.port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await probe.connect();
        await probe.ping();
        return child;
      } catch (error) {
        probe.disconnect();
        if (child.exitCode !== null) {
          throw new Error(`redis-server on port ${options.port} exited at start`);
        }
        if (Date.now() > deadline) {
          await killRedisServer(child);
          throw error;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    probe.disconnect();
  }
}

/** SIGKILL, as a crash would; resolves once the process is gone. */
export async function killRedisServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const closed = once(child, 'close');
  child.kill('SIGKILL');
  await closed;
}
