// What every results file records about its run: what ran, where, when, on which commit,
// and how busy the machine was. A ratio measured on a loaded machine is noise, so the load
// average is written at the start and at the end of each run.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { findWorkspaceRoot } from '@suite/testing';

export const workspaceRoot = findWorkspaceRoot(__dirname);

function loadAverage(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

const loadAtStart = loadAverage();

export function runContext(): string {
  const commit = execSync('git rev-parse --short HEAD', { cwd: workspaceRoot }).toString().trim();
  const dirty = execSync('git status --porcelain', { cwd: workspaceRoot }).toString().trim()
    ? ' (with uncommitted changes)'
    : '';
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return [
    `- date: ${new Date().toISOString()}`,
    `- commit: ${commit}${dirty}`,
    `- hardware: ${cpus().length} CPUs (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory; the services, Postgres, Redis, Kafka and the load generator share them`,
    `- load average (1, 5, 15 min): ${loadAtStart} at the start, ${loadAverage()} at the end`,
    `- node ${process.version}`,
  ].join('\n');
}

// The installed version of a peer library measured beside ours, for the results header.
export function libraryVersion(name: string): string {
  const manifest = join(workspaceRoot, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

// Writes load-tests/results/<name>-<yyyy-mm-dd>.md and returns its path.
export function writeResults(name: string, markdown: string): string {
  const day = new Date().toISOString().slice(0, 10);
  const file = join(workspaceRoot, 'load-tests/results', `${name}-${day}.md`);
  mkdirSync(dirname(file), { recursive: true });
  const text = markdown.endsWith('\n') ? markdown : `${markdown}\n`;
  // A second run the same day goes on top; the earlier ones stay below it, never lost.
  const earlier = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, earlier ? `${text}\n---\n\nEarlier the same day:\n\n${earlier}` : text);
  return file;
}

// One endpoint from .local/endpoints.env, written by the native infrastructure's start.
export function endpoint(name: string): string {
  const text = readFileSync(join(workspaceRoot, '.local/endpoints.env'), 'utf8');
  const value = new RegExp(`^${name}=(.*)$`, 'm').exec(text)?.[1]?.trim();
  if (!value)
    throw new Error(`${name} is not in .local/endpoints.env: start the infrastructure first`);
  return value;
}
