import { randomUUID } from 'node:crypto';
import {
  checkPartitionFence,
  type OwnedPartitions,
  type SqlExecutor,
  type TransactionRunner,
} from '@suite/coordination';
import type { Fire } from '../domain/fire';
import type { Deliverer } from '../infra/deliverer';
import { FiresRepository } from '../infra/fires.repository';

// The assignment group every scheduler instance joins; its partitions' fences are named
// after it.
export const JOBS_GROUP = 'jobs';

export interface FirePassOptions {
  tx: TransactionRunner;
  sql: SqlExecutor;
  deliverer: Deliverer;
  // This instance, as written in fires.claimed_by and delivered_by.
  owner: string;
  batchSize: number;
  redeliverAfterMs: number;
  // false: the naive writer that trusts its ownership: no partition fence, and its record
  // overwrites the fire whatever its state, so a former owner's late write gets through. For
  // the verifier's test only.
  fenced?: boolean;
  // Test hook: runs after a partition's fires were delivered and before the fenced write
  // that marks them delivered (where a paused process would resume).
  beforeRecording?(partition: number, fires: readonly Fire[]): Promise<void>;
  onDelivered?(fires: readonly Fire[], partition: number): void;
  // A write of this instance's was refused: a newer owner of the partition has written.
  onFencedOut?(partition: number, step: 'claim' | 'record', fires: number): void;
}

export interface PassReport {
  claimed: number;
  delivered: number;
  failed: number;
  redelivered: number;
  fencedOut: number;
}

type Claimed = { ok: true; fires: Fire[]; redelivered: number } | { ok: false };

// One look at the owned partitions: for each with work, claim what is due (fenced), deliver
// it and what a former owner left undelivered, and record the outcome (fenced again). A
// refused fence means another instance owns the partition now: this one stops acting on it.
export class FirePass {
  private readonly fires = new FiresRepository();

  constructor(private readonly options: FirePassOptions) {}

  // `owned` is read again before each batch: a claim that lapsed mid-pass stops the pass on
  // that partition at once (the fence would refuse its writes anyway).
  async run(owned: () => OwnedPartitions): Promise<PassReport> {
    const report: PassReport = {
      claimed: 0,
      delivered: 0,
      failed: 0,
      redelivered: 0,
      fencedOut: 0,
    };
    const { sql, owner, redeliverAfterMs } = this.options;
    const busy = await this.fires.partitionsWithWork(
      sql,
      [...owned().keys()],
      owner,
      redeliverAfterMs,
    );
    for (const partition of busy) {
      const token = owned().get(partition);
      if (token === undefined) continue;
      await this.runPartition(partition, token, owned, report);
    }
    return report;
  }

  // First in every transaction that writes for a partition: refused once a newer owner wrote.
  private async fence(sql: SqlExecutor, partition: number, token: number): Promise<boolean> {
    if (this.options.fenced === false) return true;
    return (await checkPartitionFence(sql, JOBS_GROUP, partition, token)).ok;
  }

  private async runPartition(
    partition: number,
    token: number,
    owned: () => OwnedPartitions,
    report: PassReport,
  ): Promise<void> {
    const { tx, owner, batchSize, redeliverAfterMs } = this.options;
    // Until the partition has nothing due: a burst is claimed batch by batch, each batch only
    // while the claim it started under is still held.
    for (;;) {
      if (owned().get(partition) !== token) return;
      const claimed = await tx.inTransaction<Claimed>(async (sql) => {
        if (!(await this.fence(sql, partition, token))) return { ok: false };
        const again = await this.fires.reclaimUndelivered(
          sql,
          partition,
          owner,
          token,
          redeliverAfterMs,
          batchSize,
        );
        const due = await this.fires.claimDue(sql, partition, batchSize, owner, token);
        return { ok: true, fires: [...again, ...due], redelivered: again.length };
      });
      if (!claimed.ok) {
        report.fencedOut++;
        this.options.onFencedOut?.(partition, 'claim', 0);
        return;
      }
      if (claimed.fires.length === 0) return;
      report.claimed += claimed.fires.length - claimed.redelivered;
      report.redelivered += claimed.redelivered;

      const outcome = await this.options.deliverer.deliver(claimed.fires);
      await this.options.beforeRecording?.(partition, claimed.fires);
      const recorded = await tx.inTransaction(async (sql) => {
        if (!(await this.fence(sql, partition, token))) return false;
        await this.fires.recordDeliveries(sql, outcome.delivered, outcome.failed, owner, token, {
          onlyPending: this.options.fenced !== false,
        });
        return true;
      });
      if (!recorded) {
        report.fencedOut++;
        this.options.onFencedOut?.(partition, 'record', claimed.fires.length);
        return;
      }
      report.delivered += outcome.delivered.length;
      report.failed += outcome.failed.length;
      const delivered = new Set(outcome.delivered);
      this.options.onDelivered?.(
        claimed.fires.filter((f) => delivered.has(f.idempotencyKey)),
        partition,
      );
      // Failed deliveries wait for REDELIVER_AFTER_MS; a full batch means more may be due.
      if (claimed.fires.length < batchSize || outcome.failed.length > 0) return;
    }
  }
}

// FOR THE VERIFIER'S TEST ONLY. The scheduler as it is often first written: every instance
// reads every due job, delivers it with a fresh key (nothing records the fire), then moves the
// job on with a blind write. Two instances that look at the same moment both deliver.
export class NaiveFirePass {
  private readonly fires = new FiresRepository();

  constructor(private readonly options: FirePassOptions) {}

  // Ownership is ignored: that is the flaw.
  async run(_owned?: () => OwnedPartitions): Promise<PassReport> {
    const report: PassReport = {
      claimed: 0,
      delivered: 0,
      failed: 0,
      redelivered: 0,
      fencedOut: 0,
    };
    const due = await this.fires.readDueUnlocked(this.options.sql, this.options.batchSize);
    if (due.length === 0) return report;
    const fires: Fire[] = due.map((row) => ({
      jobId: row.id,
      scheduledAt: Number(row.next_fire_at_ms),
      idempotencyKey: randomUUID(),
      partition: row.partition,
      target:
        row.target_kind === 'kafka'
          ? { kind: 'kafka', topic: row.target }
          : { kind: 'http', url: row.target },
      payload: row.payload,
    }));
    const outcome = await this.options.deliverer.deliver(fires);
    await this.fires.moveOnBlindly(this.options.sql, due);
    report.claimed = fires.length;
    report.delivered = outcome.delivered.length;
    report.failed = outcome.failed.length;
    return report;
  }
}
