import { Inject, Injectable } from '@nestjs/common';
import type { TransactionRunner } from '@suite/coordination';
import { PSP_GATEWAY, TRANSACTIONS } from '../../payments.tokens';
import { chargeOutcomeOf, type PspGateway } from '../domain/psp.port';
import { LateCharges } from '../infra/late-charges';
import { PaymentSettlement } from '../infra/payment-settlement';
import { PaymentsRepository } from '../infra/payments.repository';
import { LateChargeSweep } from '../../workers/late-charge-sweep';

export interface ReconcileReport {
  examined: number;
  captured: number;
  failed: number;
  // The PSP could not be asked (down, circuit open), or a charge attempt may still be in
  // flight: left for the next run.
  unresolved: number;
  // Failed payments asked about again at the PSP this run (the late-charge sweep), and
  // the charges found on them.
  lateChargeChecks: number;
  lateChargesFound: number;
  // Charges that landed after their payment had failed, given back this run.
  lateChargesReturned: number;
}

// Settles payments left unsettled by a crash or an unanswered PSP call, asking the PSP by
// the payment's key. `olderThanMs` must exceed the longest PSP call (timeout x attempts
// plus backoff): "the PSP has no charge" is believed only when the payment's last charge
// attempt began that long before the lookup, checked under the row lock, since an attempt
// in flight may still land. A charge that lands nevertheless is given back (LateCharges),
// and one the PSP makes after it was asked is looked for by the sweep (LateChargeSweep).
@Injectable()
export class ReconcilePaymentsUseCase {
  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly payments: PaymentsRepository,
    private readonly settlement: PaymentSettlement,
    @Inject(PSP_GATEWAY) private readonly psp: PspGateway,
    private readonly lateCharges: LateCharges,
    private readonly sweep: LateChargeSweep,
  ) {}

  async execute(options: { olderThanMs: number; limit: number }): Promise<ReconcileReport> {
    const report: ReconcileReport = {
      examined: 0,
      captured: 0,
      failed: 0,
      unresolved: 0,
      lateChargeChecks: 0,
      lateChargesFound: 0,
      lateChargesReturned: 0,
    };
    const before = new Date(Date.now() - options.olderThanMs);
    const ids = await this.transactions.inTransaction((sql) =>
      this.payments.findStuck(sql, before, options.limit),
    );
    for (const id of ids) {
      report.examined += 1;
      const settled = await this.reconcileOne(id, options.olderThanMs);
      report[settled] += 1;
    }
    const swept = await this.sweep.execute({ limit: options.limit });
    report.lateChargeChecks = swept.checked + swept.unresolved;
    report.lateChargesFound = swept.lateChargesFound;
    // Late charges found by anyone and not yet given back, these included.
    const late = await this.lateCharges.returnPending({ limit: options.limit });
    report.lateChargesReturned = late.returned;
    return report;
  }

  private async reconcileOne(
    id: string,
    olderThanMs: number,
  ): Promise<'captured' | 'failed' | 'unresolved'> {
    const payment = await this.transactions.inTransaction((sql) => this.payments.findById(sql, id));
    if (!payment) return 'unresolved';
    if (payment.status === 'pending') {
      // Never got as far as the PSP: nothing can have been charged. Under the row lock, so
      // a capture resuming now finds it failed and never starts its charge.
      return this.transactions.inTransaction(async (sql) => {
        const locked = await this.payments.findById(sql, id, true);
        if (locked?.status !== 'pending') return 'unresolved';
        await this.payments.apply(sql, locked, 'abandon', { failureReason: 'abandoned' });
        return 'failed';
      });
    }
    if (payment.status !== 'processing') return 'unresolved';
    const askedAt = Date.now();
    const found = await this.psp.findCharge(payment.pspKey);
    if (found.kind === 'unknown') return 'unresolved';
    const settled = await this.transactions.inTransaction((sql) =>
      this.settlement.settle(sql, id, chargeOutcomeOf(found), {
        noAttemptSince: new Date(askedAt - olderThanMs),
      }),
    );
    return settled.status === 'captured'
      ? 'captured'
      : settled.status === 'failed'
        ? 'failed'
        : 'unresolved';
  }
}
