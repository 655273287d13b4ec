import { setTimeout as delay } from 'node:timers/promises';
import type { AuctionClosedEvent } from '@suite/contracts';
import {
  LeaderElector,
  type DemotionReason,
  type FencedHolds,
  type Lease,
  type SqlExecutor,
  type TransactionRunner,
} from '@suite/coordination';
import { closeAuction } from '../auctions/close-auctions/close-auction';
import { AuctionsRepository } from '../auctions/infra/auctions.repository';

export const CLOSER_LEASE = 'auction-closer';

export interface AuctionCloserOptions {
  holds: Pick<FencedHolds, 'acquire' | 'extend' | 'release'>;
  tx: TransactionRunner;
  // Autocommitted reads (which auctions are due, when the next one ends).
  sql: SqlExecutor;
  topic: string;
  // Unique per process instance.
  owner: string;
  leaseTtlMs: number;
  // The longest the closer sleeps between looks; it wakes earlier for an auction's end.
  pollMs: number;
  batchSize?: number;
  onElected?(lease: Lease): void;
  onDemoted?(reason: DemotionReason): void;
  onClosed?(event: AuctionClosedEvent): void;
  onError?(error: unknown): void;
}

// Every instance runs one; only the holder of the closer lease closes. It sleeps until the
// next end (at most pollMs, since a bid can move an end later, never earlier), closes every
// due auction with a fenced write, and stops closing the moment it is no longer leader.
export class AuctionCloser {
  private readonly elector: LeaderElector;
  private readonly auctions = new AuctionsRepository();

  constructor(private readonly options: AuctionCloserOptions) {
    this.elector = new LeaderElector({
      holds: options.holds,
      name: CLOSER_LEASE,
      owner: options.owner,
      ttlMs: options.leaseTtlMs,
      onElected: (lease) => options.onElected?.(lease),
      onDemoted: (reason) => options.onDemoted?.(reason),
      onError: (error) => options.onError?.(error),
    }).whileLeading((_lease, signal) => this.closeWhileLeading(signal));
  }

  start(): void {
    this.elector.start();
  }

  // Returns once a pass that was running has finished.
  async stop(): Promise<void> {
    await this.elector.stop();
  }

  isLeader(): boolean {
    return this.elector.isLeader();
  }

  // One pass: close what is due while leader. Returns how many it closed.
  async closeDue(): Promise<number> {
    let closed = 0;
    const batch = this.options.batchSize ?? 100;
    for (;;) {
      const token = this.elector.currentToken();
      if (token === undefined) return closed;
      const due = await this.auctions.due(this.options.sql, batch);
      for (const id of due) {
        // Checked again per auction: leadership can end in the middle of a batch.
        const current = this.elector.currentToken();
        if (current === undefined) return closed;
        const outcome = await this.options.tx.inTransaction((sql) =>
          closeAuction(sql, id, current, this.options.topic),
        );
        if (outcome.kind === 'fenced-out') return closed;
        if (outcome.kind === 'closed') {
          closed++;
          this.options.onClosed?.(outcome.event);
        }
      }
      if (due.length < batch) return closed;
    }
  }

  // One term: close what is due, sleep until the next end, until demoted or stopped.
  private async closeWhileLeading(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let waitMs = this.options.pollMs;
      try {
        await this.closeDue();
        const next = await this.auctions.nextEndInMs(this.options.sql);
        // At least a few ms: a due auction that could not be closed must not spin the loop.
        if (next !== null) waitMs = Math.max(5, Math.min(waitMs, Math.ceil(next)));
      } catch (error) {
        this.options.onError?.(error);
      }
      // Rejects when the signal aborts, which only ends the wait.
      await delay(waitMs, undefined, { signal }).catch(() => undefined);
    }
  }
}
