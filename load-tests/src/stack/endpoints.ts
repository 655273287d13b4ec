import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../../..');
export const STATE = join(ROOT, '.local');

// The endpoints file that `npm run infra:up` writes.
export function readEndpoints(): Record<string, string> {
  const file = join(STATE, 'endpoints.env');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run infra:up\` first`);
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && !line.startsWith('#')) env[line.slice(0, eq)] = line.slice(eq + 1).trim();
  }
  return env;
}
