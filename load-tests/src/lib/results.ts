// The header every results file carries: what ran, where, when, on which commit.
import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export function runContext(): string {
  const commit = execSync('git rev-parse --short HEAD').toString().trim();
  const dirty = execSync('git status --porcelain').toString().trim()
    ? ' (with uncommitted changes)'
    : '';
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return [
    `- date: ${new Date().toISOString()}`,
    `- commit: ${commit}${dirty}`,
    `- hardware: ${cpus().length} CPUs (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory; the services, Postgres, Redis, Kafka and the load generator share them`,
    `- node ${process.version}`,
  ].join('\n');
}
