import { performance } from 'node:perf_hooks';
import {
  checkPartitionFence,
  partitionOf,
  type OwnedPartitions,
  type SqlExecutor,
  type TransactionRunner,
} from '@suite/coordination';
import type { FetchOutcome } from '../crawls/domain/crawl';
import { normaliseUrl } from '../frontier/domain/crawl-url';
import { extractLinks } from '../frontier/domain/links';
import {
  ALLOW_ALL,
  isAllowed,
  parseRobots,
  type RobotsRules,
} from '../frontier/domain/robots-rules';
import type {
  Candidate,
  FrontierEntry,
  FrontierRepository,
} from '../frontier/infra/frontier.repository';
import type { FetchResult, SendCheck } from '../frontier/infra/loopback-fetcher';

// The fence group of the frontier's partitions (coordination_fences: assignment.frontier/p<n>).
export const FRONTIER_GROUP = 'frontier';

// What the worker needs to know about ownership: the partitions it may act on now, each with
// its fencing token. The PartitionAssigner in production; every partition at once in naive
// mode.
export interface Ownership {
  owned(): OwnedPartitions;
}

// One decision per request to a host: the shared sliding log in Redis (or, naive, one per
// process). `windowMs` is the crawl's interval plus the guard.
export interface Politeness {
  check(
    crawlId: string,
    host: string,
    windowMs: number,
  ): Promise<{ allowed: boolean; retryAfterMs: number }>;
}

export interface Fetcher {
  // mayStillSend is asked right before the request is written; false withholds it.
  fetch(url: string, mayStillSend?: SendCheck): Promise<FetchResult>;
}

export interface FrontierWorkerOptions {
  tx: TransactionRunner;
  sql: SqlExecutor;
  repository: FrontierRepository;
  ownership: Ownership;
  politeness: Politeness;
  fetcher: Fetcher;
  partitions: number;
  // Requests in flight at once in this process (each to a different host).
  concurrency: number;
  // Added to every crawl's interval: covers the time between the moment a request leaves
  // this process and its arrival at the host (the host counts arrivals).
  guardMs: number;
  // How long to wait when there is nothing to do.
  idleMs: number;
  // Attempts of a URL whose fetch failed on the network before it is given up.
  maxAttempts: number;
  // fenced: claims and completions under the partition's fence, the shared limiter. naive:
  // FOR TESTS ONLY; select then fetch with no claim, no fence (see naive-crawl test).
  mode: 'fenced' | 'naive';
  onError?(error: unknown): void;
  onEvent?(event: WorkerEvent): void;
}

export type WorkerEvent =
  | { kind: 'fetched'; url: string; outcome: FetchOutcome }
  // A request left: when the limiter admitted it and when it was with the kernel (both
  // wall-clock ms, performance.timeOrigin + performance.now()).
  | { kind: 'sent'; url: string; admittedAtMs: number; sentAtMs: number }
  | { kind: 'refused-by-fence'; partition: number }
  | { kind: 'adopted'; partition: number; requeued: number }
  | { kind: 'finished'; crawlId: string };

class StaleOwner extends Error {
  constructor(readonly partition: number) {
    super(`partition ${partition} has a newer owner`);
  }
}

// The frontier loop of one process: picks queued URLs of the partitions it owns, one request
// per host at a time, waits for the host's politeness window, fetches from loopback, and
// completes the URL with its new links in one transaction behind the partition's fence.
export class FrontierWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly busyHosts = new Set<string>();
  private readonly notBefore = new Map<string, number>();
  // performance.now() of the last request this process sent to each host.
  private readonly lastSent = new Map<string, number>();
  // performance.now() of the limiter's last admission of a request to each host.
  private readonly admittedAt = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly adopted = new Map<number, number>();
  // performance.now() when this process adopted each partition it owns: its first request to
  // each host of the partition waits one window from then (see waitForHost).
  private readonly ownedSince = new Map<number, number>();
  private readonly robotsCache = new Map<string, RobotsRules>();
  private wake: (() => void) | undefined;

  constructor(private readonly options: FrontierWorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  // Stops picking new URLs and waits for the requests in flight.
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  get activeRequests(): number {
    return this.inFlight.size;
  }

  private async run(): Promise<void> {
    // With nothing queued anywhere, the look for work backs off to 250 ms, so an idle
    // worker does not poll its database every few ms; any work brings it back to idleMs.
    let idle = this.options.idleMs;
    let failureBackoff = 0;
    while (this.running) {
      try {
        const found = await this.pickAndLaunch();
        idle =
          found === 'nothing' && this.inFlight.size === 0
            ? Math.min(idle * 2, 250)
            : this.options.idleMs;
        if (found !== 'launched' || this.inFlight.size >= this.options.concurrency) {
          await this.sleep(idle);
        }
      } catch (error) {
        // Postgres or Redis away: report it, and look again less and less often (to 2 s).
        this.options.onError?.(error);
        failureBackoff = Math.min(Math.max(failureBackoff * 2, this.options.idleMs * 5), 2_000);
        await this.sleep(failureBackoff);
        continue;
      }
      failureBackoff = 0;
    }
  }

  // 'launched': at least one request started; 'waiting': URLs are queued but their hosts are
  // busy or in their window; 'nothing': no URL queued in the partitions owned.
  private async pickAndLaunch(): Promise<'launched' | 'waiting' | 'nothing'> {
    const owned = this.options.ownership.owned();
    if (owned.size === 0) return 'nothing';
    if (this.options.mode === 'fenced') await this.adoptNewPartitions(owned);
    const free = this.options.concurrency - this.inFlight.size;
    if (free <= 0) return 'waiting';
    const candidates = await this.options.repository.candidates(
      this.options.sql,
      [...owned.keys()],
      this.options.concurrency * 4,
    );
    const now = Date.now();
    let launched = 0;
    for (const candidate of candidates) {
      if (launched >= free) break;
      const hostKey = `${candidate.crawlId} ${candidate.host}`;
      if (this.busyHosts.has(hostKey)) continue;
      if ((this.notBefore.get(hostKey) ?? 0) > now) continue;
      this.busyHosts.add(hostKey);
      const task = this.process(candidate, hostKey)
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.busyHosts.delete(hostKey);
          this.inFlight.delete(task);
          this.wake?.();
        });
      this.inFlight.add(task);
      launched += 1;
    }
    if (launched > 0) return 'launched';
    return candidates.length > 0 ? 'waiting' : 'nothing';
  }

  // A partition newly owned (or owned again under a new token): put back what its former
  // owner left fetching. This write also moves the partition's fence to the new token, so
  // the former owner's next write for it is refused.
  private async adoptNewPartitions(owned: OwnedPartitions): Promise<void> {
    for (const [partition, token] of owned) {
      if (this.adopted.get(partition) === token) continue;
      // Taken before the adoption and after the claim: the former owner sent its last
      // request before it released the claim, so before this moment.
      const since = performance.now();
      const requeued = await this.fenced(partition, token, (sql) =>
        this.options.repository.adopt(sql, partition, token),
      );
      if (requeued === undefined) continue;
      this.adopted.set(partition, token);
      this.ownedSince.set(partition, since);
      this.options.onEvent?.({ kind: 'adopted', partition, requeued });
    }
    for (const partition of [...this.adopted.keys()]) {
      if (owned.has(partition)) continue;
      this.adopted.delete(partition);
      this.ownedSince.delete(partition);
    }
  }

  private async process(candidate: Candidate, hostKey: string): Promise<void> {
    const { repository, mode } = this.options;
    const token = this.tokenFor(candidate.partition);
    if (token === undefined) return;
    if (mode === 'fenced') {
      const claimed = await this.fenced(candidate.partition, token, (sql) =>
        repository.claim(sql, candidate.crawlId, candidate.url, token),
      );
      if (!claimed) return;
    }
    const rules = await this.robotsFor(candidate, hostKey, token);
    if (rules === undefined) return this.giveBack(candidate, token);
    const path = new URL(candidate.url).pathname;
    if (!isAllowed(rules, path)) {
      await this.complete(candidate, token, 'disallowed', null, []);
      return;
    }
    if (!(await this.waitForHost(candidate, hostKey))) return this.giveBack(candidate, token);
    const result = await this.send(candidate, candidate.url, hostKey, token);
    if (result.kind === 'withheld') return this.giveBack(candidate, token);
    if (result.kind === 'refused') {
      await this.complete(candidate, token, 'disallowed', null, []);
      return;
    }
    if (result.kind === 'failed') {
      await this.failed(candidate, token);
      return;
    }
    const { status } = result;
    let outcome: FetchOutcome = 'http-error';
    let found: string[] = [];
    if (status >= 200 && status < 300) {
      outcome = 'page';
      found = extractLinks(result.body);
    } else if (status >= 300 && status < 400 && result.location) {
      outcome = 'redirect';
      found = [result.location];
    }
    await this.complete(candidate, token, outcome, status, found);
  }

  // The rules of the candidate's host for this crawl: from memory, from the database, or
  // fetched (a request to the host like any other, so it waits for the window too).
  private async robotsFor(
    candidate: Candidate,
    hostKey: string,
    token: number,
  ): Promise<RobotsRules | undefined> {
    const cached = this.robotsCache.get(hostKey);
    if (cached) return cached;
    const { repository, sql } = this.options;
    const stored = await repository.robots(sql, candidate.crawlId, candidate.host);
    if (stored) {
      const rules = { disallow: stored };
      this.robotsCache.set(hostKey, rules);
      return rules;
    }
    if (!this.stillOwned(candidate.partition, token)) return undefined;
    if (!(await this.waitForHost(candidate, hostKey))) return undefined;
    const robotsUrl = new URL('/robots.txt', candidate.url).toString();
    const result = await this.send(candidate, robotsUrl, hostKey, token);
    if (result.kind === 'withheld') return undefined;
    // No robots.txt, or one that cannot be read: everything is allowed, as by convention.
    const rules =
      result.kind === 'answered' && result.status >= 200 && result.status < 300
        ? parseRobots(result.body)
        : ALLOW_ALL;
    const saved = await this.write(candidate.partition, token, (tx) =>
      repository.saveRobots(tx, candidate.crawlId, candidate.host, rules.disallow),
    );
    if (saved === undefined) return undefined;
    this.robotsCache.set(hostKey, rules);
    return rules;
  }

  // The request goes only if this process still owns the host's partition under the same
  // token at the moment it is written: the owner drops a partition from owned() before it
  // releases the claim, so every request it sends leaves before the next owner can claim.
  private async send(
    candidate: Candidate,
    url: string,
    hostKey: string,
    token: number,
  ): Promise<FetchResult> {
    const result = await this.options.fetcher.fetch(url, () =>
      this.stillOwned(candidate.partition, token),
    );
    if (result.kind === 'answered' || result.kind === 'failed') {
      this.lastSent.set(hostKey, result.sentAtMs);
      this.options.onEvent?.({
        kind: 'sent',
        url,
        admittedAtMs: performance.timeOrigin + (this.admittedAt.get(hostKey) ?? result.sentAtMs),
        sentAtMs: performance.timeOrigin + result.sentAtMs,
      });
    }
    return result;
  }

  // Waits until the shared limiter admits one request to the host, as long as this process
  // still owns the host's partition. Checked again right before the request goes: a process
  // paused here past its lease finds the partition gone when it wakes.
  private async waitForHost(candidate: Candidate, hostKey: string): Promise<boolean> {
    const windowMs = candidate.minIntervalMs + this.options.guardMs;
    // First this process's own spacing, from when its last request to the host actually
    // left: the limiter's window starts at its decision, and a process that stalled between
    // that decision and the send would otherwise bring two requests closer than the window.
    // A former owner of the partition may have sent its last request to the host just
    // before this process claimed it, late after its own decision; the limiter would admit
    // the next request one window after that decision, so the first request of a new owner
    // waits one window from the adoption as well.
    const last = Math.max(
      this.lastSent.get(hostKey) ?? -Infinity,
      this.ownedSince.get(candidate.partition) ?? -Infinity,
    );
    const wait = last + windowMs - performance.now();
    if (wait > 0) await this.sleep(Math.ceil(wait), false);
    for (;;) {
      if (!this.running) return false;
      if (this.tokenFor(candidate.partition) === undefined) return false;
      const decision = await this.options.politeness.check(
        candidate.crawlId,
        candidate.host,
        windowMs,
      );
      if (decision.allowed) {
        this.admittedAt.set(hostKey, performance.now());
        this.notBefore.set(hostKey, Date.now() + windowMs);
        return this.tokenFor(candidate.partition) !== undefined;
      }
      await this.sleep(Math.max(1, decision.retryAfterMs), false);
    }
  }

  private async complete(
    candidate: Candidate,
    token: number,
    outcome: FetchOutcome,
    status: number | null,
    found: readonly string[],
  ): Promise<void> {
    const { repository, partitions, mode } = this.options;
    const links: FrontierEntry[] = [];
    if (candidate.depth < candidate.maxDepth) {
      for (const href of found) {
        const normal = normaliseUrl(href, candidate.url);
        if (!normal.ok) continue;
        links.push({
          url: normal.url,
          host: normal.host,
          partition: partitionOf(normal.host, partitions),
          depth: candidate.depth + 1,
        });
      }
    }
    const written = await this.write(candidate.partition, token, async (sql) => {
      if (mode === 'fenced') {
        const mine = await repository.complete(
          sql,
          candidate.crawlId,
          candidate.url,
          token,
          outcome,
          status,
        );
        // Not ours any more: a new owner put it back; its links are theirs to add.
        if (!mine) throw new StaleOwner(candidate.partition);
      } else {
        await sql.query(
          `update frontier set state = 'done', outcome = $3, status_code = $4, fetched_at = now()
            where crawl_id = $1 and url = $2`,
          [candidate.crawlId, candidate.url, outcome, status],
        );
      }
      await repository.enqueue(sql, candidate.crawlId, links);
      return true;
    });
    if (written === undefined) return;
    this.options.onEvent?.({ kind: 'fetched', url: candidate.url, outcome });
    if (await repository.finishIfDone(this.options.sql, candidate.crawlId)) {
      this.options.onEvent?.({ kind: 'finished', crawlId: candidate.crawlId });
    }
  }

  private async failed(candidate: Candidate, token: number): Promise<void> {
    const attempts = await this.options.sql.query<{ attempts: number }>(
      `select attempts from frontier where crawl_id = $1 and url = $2`,
      [candidate.crawlId, candidate.url],
    );
    if ((attempts.rows[0]?.attempts ?? 0) >= this.options.maxAttempts) {
      await this.complete(candidate, token, 'network-error', null, []);
    } else {
      await this.giveBack(candidate, token);
    }
  }

  private async giveBack(candidate: Candidate, token: number): Promise<void> {
    if (this.options.mode === 'naive') return;
    await this.write(candidate.partition, token, (sql) =>
      this.options.repository.release(sql, candidate.crawlId, candidate.url, token),
    );
  }

  private tokenFor(partition: number): number | undefined {
    return this.options.ownership.owned().get(partition);
  }

  private stillOwned(partition: number, token: number): boolean {
    return this.tokenFor(partition) === token;
  }

  // A write for a partition: behind its fence (fenced mode), or plain (naive mode).
  private write<T>(
    partition: number,
    token: number,
    work: (sql: SqlExecutor) => Promise<T>,
  ): Promise<T | undefined> {
    if (this.options.mode === 'naive') return this.options.tx.inTransaction(work);
    return this.fenced(partition, token, work);
  }

  // BEGIN, the partition's fence, the work, COMMIT; undefined (rolled back) when a newer owner
  // has written to the partition, or the work found its row taken over.
  private async fenced<T>(
    partition: number,
    token: number,
    work: (sql: SqlExecutor) => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await this.options.tx.inTransaction(async (sql) => {
        const fence = await checkPartitionFence(sql, FRONTIER_GROUP, partition, token);
        if (!fence.ok) throw new StaleOwner(partition);
        return work(sql);
      });
    } catch (error) {
      if (error instanceof StaleOwner) {
        this.options.onEvent?.({ kind: 'refused-by-fence', partition });
        return undefined;
      }
      throw error;
    }
  }

  private sleep(ms: number, wakeable = true): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      if (wakeable) this.wake = done;
    });
  }
}
