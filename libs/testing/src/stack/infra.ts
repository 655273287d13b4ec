// Restarts one component of the shared local stack (infra/local) from a test, through the
// project's own scripts, so a test sees the same restart an operator would cause. Redis keeps
// nothing on disk: its restart loses every key. The broker keeps its log: a restart loses
// connections and leadership for a while, not records.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findWorkspaceRoot } from '../endpoints/endpoints';

const ROOT = findWorkspaceRoot(__dirname);
const run = promisify(execFile);

export type InfraComponent = 'redis' | 'kafka';

async function script(component: InfraComponent, command: 'start' | 'stop'): Promise<void> {
  // Kafka's stop waits up to 60 s for a clean shutdown and its start up to 90 s for a round trip.
  await run('bash', [join(ROOT, 'infra/local', `${component}.sh`), command], {
    cwd: ROOT,
    timeout: 240_000,
  });
}

export interface InfraRestart {
  component: InfraComponent;
  // From the stop command to the component answering again (for Kafka, a produce and consume
  // round trip).
  downMs: number;
}

// Stops the component and starts it again on its remembered port. Async, so a test's load
// keeps running meanwhile.
export async function restartInfra(component: InfraComponent): Promise<InfraRestart> {
  const started = Date.now();
  try {
    await script(component, 'stop');
  } finally {
    // Whatever the stop did, the component is brought back.
    await script(component, 'start');
  }
  return { component, downMs: Date.now() - started };
}

// Idempotent: starts what is not running. For a test's finally block, so a failed restart
// never leaves the shared stack down for the tests after it.
export async function ensureInfraRunning(components: readonly InfraComponent[]): Promise<void> {
  for (const component of components) await script(component, 'start');
}
