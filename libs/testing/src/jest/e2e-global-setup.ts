// Jest global setup for the end-to-end tier: the integration setup (endpoints, preflight),
// then every service started as its own process from the current sources, with the services'
// URLs exported to the tests (GATEWAY_URL, TICKETING_URL, ...). Services left running by a
// demo are restarted so that the run tests the code in this checkout, on empty databases.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspaceRoot } from '../endpoints/endpoints';
import integrationSetup from './global-setup';

const root = findWorkspaceRoot(__dirname);

// The stack runner is a script of its own (it needs the workspace's path aliases, which the
// global setup does not have).
export function runServices(command: 'start-fresh-fast' | 'stop'): void {
  execFileSync(
    process.execPath,
    ['-r', '@swc-node/register', 'libs/testing/src/stack/services.ts', command],
    {
      cwd: root,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'),
        // The services belong to this Jest run, not to the short-lived runner process.
        SUITE_STACK_OWNER: String(process.pid),
      },
      stdio: 'inherit',
      timeout: 300_000,
    },
  );
}

export default async function e2eGlobalSetup(): Promise<void> {
  await integrationSetup();
  console.log('\n[e2e] starting every service from the current sources, on empty databases');
  runServices('stop');
  runServices('start-fresh-fast');
  const dir = join(root, '.local/run/services');
  for (const file of existsSync(dir) ? readdirSync(dir) : []) {
    const entry = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      service?: string;
      port?: number;
    };
    // stack.json holds the stack's own state, not a service
    if (!entry.service || !entry.port) continue;
    process.env[`${entry.service.toUpperCase().replace(/-/g, '_')}_URL`] =
      `http://127.0.0.1:${entry.port}`;
  }
}
