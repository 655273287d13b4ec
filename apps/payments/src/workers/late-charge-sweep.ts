import type { TransactionRunner } from '@suite/coordination';
import {
  afterNoCharge,
  afterUnanswered,
  type LateChargeSchedule,
} from '../payments/domain/late-charge-schedule';
import type { PspGateway } from '../payments/domain/psp.port';
import type {
  LateChargeWatch,
  LateChargeWatchesRepository,
} from '../payments/infra/late-charge-watches.repository';
import type { PaymentSettlement } from '../payments/infra/payment-settlement';

export interface LateChargeSweepReport {
  // Watches whose PSP lookup answered this round.
  checked: number;
  // Charges found on failed payments, recorded as late charges this round.
  lateChargesFound: number;
  // The PSP could not be asked: due again after the first gap.
  unresolved: number;
}

// How long a claimed watch is left to the sweep that claimed it: far longer than one
// lookup and one refund, so a live sweep finishes first and a dead one's claims come due.
const CLAIM_MS = 120_000;

// A PSP may act on a charge request after its caller gave up on it: a payment failed
// because the PSP showed no charge (or answered every attempt with an error) can still be
// charged. For the schedule's horizon after the failure the sweep asks the PSP again by
// the payment's key; a succeeded charge goes the way of every late charge (recorded under
// the row lock by PaymentSettlement, given back by LateCharges right after the sweep, in
// the same job round). Bounded per round by `limit`; backing off per payment
// (LateChargeSchedule).
export class LateChargeSweep {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly watches: LateChargeWatchesRepository,
    private readonly settlement: PaymentSettlement,
    private readonly psp: PspGateway,
    private readonly schedule: LateChargeSchedule,
  ) {}

  async execute(options: { limit: number }): Promise<LateChargeSweepReport> {
    const report: LateChargeSweepReport = { checked: 0, lateChargesFound: 0, unresolved: 0 };
    const now = Date.now();
    const due = await this.transactions.inTransaction((sql) =>
      this.watches.claimDue(sql, new Date(now), new Date(now + CLAIM_MS), options.limit),
    );
    for (const watch of due) {
      const result = await this.checkOne(watch);
      if (result === 'unresolved') report.unresolved += 1;
      else report.checked += 1;
      if (result === 'late-charge') report.lateChargesFound += 1;
    }
    return report;
  }

  private async checkOne(
    watch: LateChargeWatch,
  ): Promise<'no-charge' | 'late-charge' | 'declined' | 'unresolved'> {
    const found = await this.psp.findCharge(watch.pspKey);
    const checkedAt = new Date();
    if (found.kind === 'unknown') {
      await this.transactions.inTransaction((sql) =>
        this.watches.reschedule(
          sql,
          watch.paymentId,
          afterUnanswered(checkedAt, this.schedule),
          false,
        ),
      );
      return 'unresolved';
    }
    if (found.kind === 'none') {
      const next = afterNoCharge(watch.failedAt, watch.checks + 1, checkedAt, this.schedule);
      await this.transactions.inTransaction((sql) =>
        next.kind === 'done'
          ? this.watches.end(sql, watch.paymentId, 'no-charge', checkedAt)
          : this.watches.reschedule(sql, watch.paymentId, next.at, true),
      );
      return 'no-charge';
    }
    if (found.status === 'declined') {
      // The PSP acted and declined: no money moved, nothing more can land under the key.
      await this.transactions.inTransaction((sql) =>
        this.watches.end(sql, watch.paymentId, 'declined', checkedAt),
      );
      return 'declined';
    }
    // The charge landed: the payment stays failed, and the charge is recorded as a late
    // charge to give back, in the transaction that ends the watch.
    await this.transactions.inTransaction(async (sql) => {
      await this.settlement.settle(sql, watch.paymentId, {
        kind: 'succeeded',
        chargeId: found.chargeId,
      });
      await this.watches.end(sql, watch.paymentId, 'late-charge', checkedAt);
    });
    return 'late-charge';
  }
}
