import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspaceRoot } from '../endpoints/endpoints';

/** One completed operation, as tools/lincheck reads it. Times are from one monotonic clock. */
export interface HistoryOperation {
  client: number;
  key: string;
  op: string;
  call: number;
  return: number;
  ok: boolean;
  [extra: string]: unknown;
}

const now = () => Number(process.hrtime.bigint());

/** Records operations of concurrent clients in one process, for a linearizability check. */
export class HistoryRecorder {
  readonly operations: HistoryOperation[] = [];

  /** Runs `fn`, timing it, and records its outcome as returned by `ok`. */
  async record<T>(
    client: number,
    key: string,
    op: string,
    fn: () => Promise<T>,
    ok: (result: T) => boolean,
    extra: (result: T) => Record<string, unknown> = () => ({}),
  ): Promise<T> {
    const call = now();
    const result = await fn();
    this.operations.push({
      client,
      key,
      op,
      call,
      return: now(),
      ok: ok(result),
      ...extra(result),
    });
    return result;
  }

  toJsonl(): string {
    return this.operations.map((o) => JSON.stringify(o)).join('\n') + '\n';
  }
}

export interface LincheckVerdict {
  model: string;
  result: 'Ok' | 'Illegal' | 'Unknown' | 'error';
  operations: number;
  error?: string;
}

const root = findWorkspaceRoot(__dirname);
const binary = join(root, '.local/cache/bin/lincheck');

/** Builds tools/lincheck (porcupine) into the cache if it is missing or older than its sources. */
export function ensureLincheck(): string {
  const sources = ['main.go', 'go.mod', 'go.sum'].map(
    (f) => statSync(join(root, 'tools/lincheck', f)).mtimeMs,
  );
  if (!existsSync(binary) || statSync(binary).mtimeMs < Math.max(...sources)) {
    const cache = join(root, '.local/cache');
    execFileSync('go', ['build', '-o', binary, '.'], {
      cwd: join(root, 'tools/lincheck'),
      env: {
        ...process.env,
        GOPATH: join(cache, 'go'),
        GOCACHE: join(cache, 'go-build'),
        GOFLAGS: '-modcacherw',
      },
      stdio: 'inherit',
    });
  }
  return binary;
}

/**
 * Checks a history with porcupine. The history is also written to
 * .local/histories/<name>.jsonl so a failing run can be inspected.
 */
export async function checkLinearizable(
  name: string,
  operations: readonly HistoryOperation[],
  model = 'lock',
): Promise<LincheckVerdict> {
  const dir = join(root, '.local/histories');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.jsonl`);
  writeFileSync(file, operations.map((o) => JSON.stringify(o)).join('\n') + '\n');
  const bin = ensureLincheck();
  return new Promise((resolve, reject) => {
    execFile(bin, ['-model', model, file], { timeout: 120_000 }, (error, stdout) => {
      const line = stdout.trim().split('\n').pop();
      if (!line) return reject(error ?? new Error('lincheck printed nothing'));
      resolve(JSON.parse(line) as LincheckVerdict);
    });
  });
}
