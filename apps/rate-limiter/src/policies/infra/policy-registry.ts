import { Logger } from '@nestjs/common';
import { PolicySet, type LimiterFactory } from '../domain/policy-set';
import { readPolicyFile } from './policy-file.reader';

// What is loaded now, shown by GET /admin/policies and stamped on every decision.
export interface LoadedVersion {
  // The file's own "version" label, if it has one.
  version: string | null;
  // sha256 of the file's bytes (16 hex digits); "none" when the service runs without a file.
  hash: string;
  loadedAt: string;
}

export interface RejectedReload {
  at: string;
  hash: string | null;
  issues: string[];
}

export type ReloadOutcome =
  | { kind: 'reloaded'; loaded: LoadedVersion }
  | { kind: 'unchanged'; loaded: LoadedVersion }
  | { kind: 'rejected'; loaded: LoadedVersion; rejected: RejectedReload };

// A policy file that stops the boot: the service does not start on policies it cannot read.
export class PolicyFileError extends Error {
  readonly code = 'INVALID_POLICY_FILE';

  constructor(
    readonly path: string,
    readonly issues: readonly string[],
  ) {
    super(`policy file ${path} is invalid:\n  ${issues.join('\n  ')}`);
    this.name = 'PolicyFileError';
  }
}

export class PolicyRegistry {
  private set = PolicySet.empty();
  private loadedVersion: LoadedVersion = { version: null, hash: 'none', loadedAt: now() };
  private lastRejected: RejectedReload | null = null;
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<ReloadOutcome> | undefined;
  private readonly logger = new Logger('Policies');

  constructor(
    private readonly path: string | undefined,
    private readonly createLimiter: LimiterFactory,
  ) {}

  get current(): PolicySet {
    return this.set;
  }

  get loaded(): LoadedVersion {
    return this.loadedVersion;
  }

  get rejected(): RejectedReload | null {
    return this.lastRejected;
  }

  get file(): string | null {
    return this.path ?? null;
  }

  // At boot: a bad file is fatal.
  async load(): Promise<void> {
    if (this.path === undefined) return;
    const outcome = await this.reload();
    if (outcome.kind === 'rejected') throw new PolicyFileError(this.path, outcome.rejected.issues);
  }

  // Later: a bad file is refused and the policies in force stay. Concurrent calls (the
  // watcher and an operator) share one read.
  reload(): Promise<ReloadOutcome> {
    this.reloading ??= this.readAndSwap().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  // Polls the file's content; cheap for a file of a few KB, and unlike fs.watch it also
  // sees an editor's rename-over-the-old-file and a ConfigMap's symlink swap.
  watch(intervalMs: number): void {
    if (this.path === undefined || intervalMs <= 0) return;
    this.timer = setInterval(() => void this.reload(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async readAndSwap(): Promise<ReloadOutcome> {
    if (this.path === undefined) {
      return this.reject(null, ['no policy file is configured (POLICY_FILE)']);
    }
    const read = await readPolicyFile(this.path);
    if (!read.ok) return this.reject(read.hash ?? null, read.issues);
    if (read.hash === this.loadedVersion.hash) {
      // The file on disk is the one in force again (e.g. a bad edit was reverted).
      this.lastRejected = null;
      return { kind: 'unchanged', loaded: this.loadedVersion };
    }
    const compiled = PolicySet.compile(read.file, this.createLimiter, this.set);
    if (!compiled.ok) return this.reject(read.hash, compiled.issues);
    this.set = compiled.set;
    this.loadedVersion = { version: read.file.version ?? null, hash: read.hash, loadedAt: now() };
    this.lastRejected = null;
    this.logger.log(
      `loaded policies ${this.loadedVersion.hash} (version ${this.loadedVersion.version ?? '-'}) from ${this.path}`,
    );
    return { kind: 'reloaded', loaded: this.loadedVersion };
  }

  private reject(hash: string | null, issues: string[]): ReloadOutcome {
    // The same bad file is reported once, not on every poll.
    if (this.lastRejected?.hash !== hash || hash === null) {
      this.logger.error(
        `refused policy file ${this.path ?? '(none)'}; keeping ${this.loadedVersion.hash}:\n  ${issues.join('\n  ')}`,
      );
    }
    this.lastRejected = { at: now(), hash, issues };
    return { kind: 'rejected', loaded: this.loadedVersion, rejected: this.lastRejected };
  }
}

const now = () => new Date().toISOString();
