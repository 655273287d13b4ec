import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { findWorkspaceRoot } from '../endpoints/endpoints';

const root = findWorkspaceRoot(__dirname);

/**
 * Runs a TypeScript file in its own Node process (compiled on the fly by swc-node, with the
 * workspace's path aliases), with an IPC channel. For tests that need real process
 * boundaries: a worker to pause with SIGSTOP, kill with SIGKILL, or run side by side.
 * The child inherits the endpoints that the global setup exported.
 */
export function forkTs(
  file: string,
  args: string[] = [],
  env: Record<string, string> = {},
): ChildProcess {
  return fork(file, args, {
    cwd: root,
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'), ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The next IPC message that satisfies `match`, or a rejection after `timeoutMs`. */
export async function nextMessage<T>(
  child: ChildProcess,
  match: (message: T) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`child ${child.pid} sent no matching message within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: T) => {
      if (!match(message)) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(
        new Error(`child ${child.pid} exited (code ${code}, signal ${signal}) before the message`),
      );
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Kills the child (SIGKILL unless told otherwise) and waits until it is gone. */
export async function killAndWait(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}
