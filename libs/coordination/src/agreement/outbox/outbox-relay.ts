import type { MessageProducer, OutgoingMessage } from '../../ports/message-producer';
import type { SqlExecutor } from '../../ports/sql-executor';
import type { TransactionRunner } from '../../ports/transaction-runner';
import { CLAIM_BATCH, MARK_PUBLISHED } from './outbox.sql';
import { MESSAGE_ID_HEADER } from './outbox-writer';

export const OUTBOX_ID_HEADER = 'outbox-id';

export interface OutboxRelayOptions {
  shard?: number;
  batchSize?: number;
  // The seam for "one relay per shard": called inside the claim transaction, after the
  // rows are locked and before anything is published. Return false when this process is
  // no longer the shard's owner; the batch is then rolled back unpublished. A lease
  // wrapper passes a fenced write here (the token stored per shard), so a relay that
  // lost its lease while paused cannot publish or mark anything.
  fence?: (tx: SqlExecutor) => Promise<boolean>;
  // Observer called after the broker acknowledged a batch and before its rows are
  // marked (tracing; crash tests use it to die at the worst moment).
  onPublished?: (batch: { count: number; ids: string[] }) => Promise<void> | void;
  // drain() and run() overlap batches: the next batches are claimed while this one is being
  // sent, each sent once the one before it is acknowledged and committed once the one before
  // it has committed. false: one batch after the other.
  pipeline?: boolean;
  // Batches in flight at once when pipelined (claim transactions open, so connections used),
  // at least 2. Default 3: one committing, one sending, one claimed and ready to send on the
  // ack, so the mark and commit of a batch are off the path from one send to the next.
  pipelineDepth?: number;
  // How run() waits when the shard is idle. Default: a plain sleep of idleDelayMs. With
  // pgListenWakeups, a commit that wrote an outbox row (writeOutbox with wakeup: true)
  // ends the wait at once; idleDelayMs stays as the safety net for a lost notification.
  wakeups?: RelayWakeups;
}

// Resolves when there may be new rows, or after maxMs, or when signal aborts. A wake-up
// that arrived while the relay was busy must end the next wait at once, or a row
// committed between an empty claim and the wait would sit out the whole delay.
export interface RelayWakeups {
  wait(signal: AbortSignal, maxMs: number): Promise<void>;
}

export type RelayBatchOutcome =
  | { kind: 'published'; count: number }
  | { kind: 'idle' }
  | { kind: 'fenced-out' };

export interface RelayStats {
  batches: number;
  published: number;
  failures: number;
  lastError: string | null;
}

interface ClaimedRow {
  id: string;
  message_id: string;
  topic: string;
  aggregate_key: string;
  payload: string;
  headers: Record<string, string>;
}

class FencedOut extends Error {}

// One batch on its way through claim -> send -> mark -> commit, as seen by the batch
// after it. Every promise settles; none rejects unobserved.
interface InFlightBatch {
  // After claim and fence: the ids it will publish, or why it has none.
  claimed: Promise<{ kind: 'rows'; ids: string[] } | { kind: 'idle' } | { kind: 'fenced-out' }>;
  // After the broker acknowledged every row; rejects when the batch failed before that.
  acked: Promise<void>;
  // After the commit.
  done: Promise<RelayBatchOutcome>;
}

// Publishes one shard's outbox rows at least once, in id order per aggregate key, by
// first delivery. One batch is one database transaction: claim (row locks), publish,
// mark, commit. A crash anywhere before the commit releases the locks and the rows go
// again; consumers dedupe with the inbox on the message-id header.
//
// Pipelined (drain and run), batch N+1 is claimed in its own transaction while batch N
// (and, up to pipelineDepth, the batches before it) are still in flight, and must hold:
// - N+1 is sent only after N's send was acknowledged: any row of N reaches Kafka before
//   any row of N+1. If N fails before its ack, N+1 rolls back unsent, and so does every
//   batch behind it (each waits on the one before it).
// - N commits before N+1; if N's mark or commit fails, N+1 rolls back too. N+1 marks its
//   rows (its own, locked) as soon as its send is acknowledged and waits for N's commit only
//   to commit: the marks of the batches in flight overlap, and only the commits, which are
//   short, follow one another.
// - The claimed ids of every batch still in flight are passed to N+1's claim as not
//   blocking its order guard: they are still pending in the database but will be delivered
//   first (above). Every other earlier pending row of a key still blocks the key.
// A crash at any point leaves the batches in flight pending (or the oldest published and
// the rest pending); a later claim resends them in id order, so a key's first deliveries
// stay in id order.
export class OutboxRelay {
  readonly shard: number;
  private readonly batchSize: number;
  private readonly depth: number;
  private readonly counters: RelayStats = {
    batches: 0,
    published: 0,
    failures: 0,
    lastError: null,
  };

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly producer: MessageProducer,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.shard = options.shard ?? 0;
    this.batchSize = options.batchSize ?? 100;
    this.depth = options.pipeline === false ? 1 : (options.pipelineDepth ?? 3);
    if (options.pipeline !== false && (!Number.isInteger(this.depth) || this.depth < 2)) {
      throw new RangeError(
        `OutboxRelay: pipelineDepth must be an integer of at least 2 (got ${this.depth})`,
      );
    }
    if (!Number.isInteger(this.shard) || this.shard < 0) {
      throw new RangeError(`OutboxRelay: shard must be a non-negative integer (got ${this.shard})`);
    }
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError(
        `OutboxRelay: batchSize must be a positive integer (got ${this.batchSize})`,
      );
    }
  }

  // One batch, not overlapped with any other.
  async publishBatch(): Promise<RelayBatchOutcome> {
    const batch = this.startBatch(undefined);
    try {
      const outcome = await batch.done;
      this.count(outcome);
      return outcome;
    } catch (error) {
      return this.failed(error);
    }
  }

  // Publishes until the shard has nothing claimable, at most maxBatches batches.
  async drain(maxBatches = 1_000): Promise<{ published: number; batches: number; idle: boolean }> {
    if (this.options.pipeline === false) {
      let published = 0;
      for (let batches = 0; batches < maxBatches; batches++) {
        const outcome = await this.publishBatch();
        if (outcome.kind !== 'published')
          return { published, batches, idle: outcome.kind === 'idle' };
        published += outcome.count;
      }
      return { published, batches: maxBatches, idle: false };
    }
    return this.pipelined(maxBatches);
  }

  // Publishes until `signal` aborts. A failed batch (broker or database down) is counted
  // and retried after a backoff; it never ends the loop. When idle it waits for a wake-up
  // or idleDelayMs, whichever comes first.
  async run(
    signal: AbortSignal,
    timing: { idleDelayMs?: number; errorDelayMs?: number } = {},
  ): Promise<void> {
    const idleDelayMs = timing.idleDelayMs ?? 200;
    const errorDelayMs = timing.errorDelayMs ?? 1_000;
    const wakeups = this.options.wakeups ?? sleepWakeups;
    while (!signal.aborted) {
      try {
        // Bounded, so an endless stream still lets the loop see the signal.
        const drained = await this.drain(100);
        if (drained.idle || drained.batches < 100) await wakeups.wait(signal, idleDelayMs);
      } catch {
        await sleepWakeups.wait(signal, errorDelayMs);
      }
    }
  }

  stats(): RelayStats {
    return { ...this.counters };
  }

  private async pipelined(
    maxBatches: number,
  ): Promise<{ published: number; batches: number; idle: boolean }> {
    let published = 0;
    let batches = 0;
    // Claimed batches not yet committed, oldest first; each waits on the one before it.
    const inFlight: { batch: InFlightBatch; ids: string[] }[] = [];
    const settleOldest = async (): Promise<void> => {
      const oldest = inFlight.shift();
      if (!oldest) return;
      const outcome = await oldest.batch.done;
      this.count(outcome);
      if (outcome.kind === 'published') {
        published += outcome.count;
        batches += 1;
      }
    };
    let current: InFlightBatch | undefined;
    try {
      while (batches + inFlight.length < maxBatches) {
        current = this.startBatch(
          inFlight[inFlight.length - 1]?.batch,
          inFlight.flatMap((b) => b.ids),
        );
        const claimed = await current.claimed;
        if (claimed.kind !== 'rows') {
          while (inFlight.length > 0) await settleOldest();
          const outcome = await current.done;
          current = undefined;
          this.count(outcome);
          return { published, batches, idle: claimed.kind === 'idle' };
        }
        inFlight.push({ batch: current, ids: claimed.ids });
        current = undefined;
        // At most `depth` transactions open: the next claim waits for the oldest's commit.
        if (inFlight.length >= this.depth) await settleOldest();
      }
      while (inFlight.length > 0) await settleOldest();
      return { published, batches, idle: false };
    } catch (error) {
      // Let every transaction finish (older ones may still commit) before reporting.
      const settled = await Promise.allSettled([
        ...inFlight.map((b) => b.batch.done),
        current?.done ?? Promise.resolve(null),
      ]);
      for (const result of settled) {
        if (result.status === 'fulfilled' && result.value) this.count(result.value);
      }
      return this.failed(error);
    }
  }

  // Starts one batch's transaction. With batches still in flight, it treats their rows
  // (inFlightIds) as not blocking, sends only after its predecessor's ack and marks only
  // after its predecessor's commit; a failure of the predecessor rolls it back.
  private startBatch(
    previous: InFlightBatch | undefined,
    inFlightIds: string[] = [],
  ): InFlightBatch {
    const claimed = deferred<Awaited<InFlightBatch['claimed']>>();
    const acked = deferred<void>();
    const done = this.transactions.inTransaction(async (tx) => {
      const rows = (
        await tx.query<ClaimedRow>(CLAIM_BATCH, [this.shard, this.batchSize, inFlightIds])
      ).rows;
      if (rows.length === 0) {
        claimed.resolve({ kind: 'idle' });
        return { kind: 'idle' } as const;
      }
      if (this.options.fence && !(await this.options.fence(tx))) {
        claimed.resolve({ kind: 'fenced-out' });
        throw new FencedOut();
      }
      const ids = rows.map((row) => String(row.id));
      claimed.resolve({ kind: 'rows', ids });

      if (previous) await previous.acked;
      // Consecutive rows of one topic go in one send; topics keep their id order.
      for (const run of runsByTopic(rows)) {
        await this.producer.send(run.topic, run.rows.map(toMessage));
      }
      acked.resolve();
      await this.options.onPublished?.({ count: ids.length, ids });
      await tx.query(MARK_PUBLISHED, [ids]);
      if (previous) await previous.done;
      return { kind: 'published', count: ids.length } as const;
    });
    const settled = done.then(
      (outcome) => outcome,
      (error: unknown) => {
        claimed.reject(error);
        acked.reject(error);
        if (error instanceof FencedOut) return { kind: 'fenced-out' } as const;
        throw error;
      },
    );
    // A pipelined drain awaits this batch only after the next one is claimed; a send that
    // fails before then would be an unhandled rejection, which ends a Node process. Marked
    // handled here; whoever awaits `done` still gets the error.
    settled.catch(() => undefined);
    return { claimed: claimed.promise, acked: acked.promise, done: settled };
  }

  private count(outcome: RelayBatchOutcome): void {
    if (outcome.kind !== 'published') return;
    this.counters.batches += 1;
    this.counters.published += outcome.count;
  }

  private failed(error: unknown): never {
    this.counters.failures += 1;
    this.counters.lastError = error instanceof Error ? error.message : String(error);
    throw error;
  }
}

const sleepWakeups: RelayWakeups = { wait: (signal, ms) => sleep(ms, signal) };

// A promise with its settle functions; a rejection nobody awaits is not reported.
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

function toMessage(row: ClaimedRow): OutgoingMessage {
  return {
    key: row.aggregate_key,
    value: row.payload,
    headers: {
      ...row.headers,
      [MESSAGE_ID_HEADER]: row.message_id,
      [OUTBOX_ID_HEADER]: String(row.id),
    },
  };
}

function runsByTopic(rows: readonly ClaimedRow[]): { topic: string; rows: ClaimedRow[] }[] {
  const runs: { topic: string; rows: ClaimedRow[] }[] = [];
  for (const row of rows) {
    const last = runs[runs.length - 1];
    if (last && last.topic === row.topic) last.rows.push(row);
    else runs.push({ topic: row.topic, rows: [row] });
  }
  return runs;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
