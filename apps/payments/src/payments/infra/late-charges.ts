import { Inject, Injectable } from '@nestjs/common';
import type { TransactionRunner } from '@suite/coordination';
import { PSP_GATEWAY, TRANSACTIONS } from '../../payments.tokens';
import type { PspGateway } from '../domain/psp.port';
import { PaymentsRepository } from './payments.repository';

export interface LateChargesReport {
  returned: number;
  // The PSP refused the refund: a person must look (logged by the caller).
  rejected: number;
  // The PSP could not be asked: tried again on the next call.
  unresolved: number;
}

// Gives back charges that landed on payments already failed (recorded by PaymentSettlement
// as pending refunds in the late-charge scope). The PSP refund is keyed by the refund's id,
// so running this from the capture that found the late charge, from the saga's refund and
// from the reconciliation job at once refunds the money once. No ledger entry: the payment
// stays failed, and the money went back out the way it came in.
@Injectable()
export class LateCharges {
  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly payments: PaymentsRepository,
    @Inject(PSP_GATEWAY) private readonly psp: PspGateway,
  ) {}

  async returnPending(options: { paymentId?: string; limit: number }): Promise<LateChargesReport> {
    const report: LateChargesReport = { returned: 0, rejected: 0, unresolved: 0 };
    const pending = await this.transactions.inTransaction((sql) =>
      this.payments.pendingLateChargeRefunds(sql, options),
    );
    for (const refund of pending) {
      const payment = await this.transactions.inTransaction((sql) =>
        this.payments.findById(sql, refund.paymentId),
      );
      if (!payment?.pspChargeId)
        throw new Error(`late charge of ${refund.paymentId} has no charge`);
      const answer = await this.psp.refund({
        key: refund.id,
        chargeId: payment.pspChargeId,
        amountMinor: refund.amountMinor,
      });
      if (answer.kind === 'unknown') {
        report.unresolved += 1;
        continue;
      }
      await this.transactions.inTransaction(async (sql) => {
        if (answer.kind === 'refunded') {
          refund.status = 'succeeded';
          refund.pspRefundId = answer.refundId;
        } else {
          refund.status = 'failed';
          refund.failureReason = answer.reason;
        }
        await this.payments.saveRefund(sql, refund);
      });
      report[answer.kind === 'refunded' ? 'returned' : 'rejected'] += 1;
    }
    return report;
  }
}
