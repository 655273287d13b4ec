import { randomUUID } from 'node:crypto';
import type { TransactionRunner } from '@suite/coordination';
import { CAPTURE_ABANDONED } from '../create-payment/create-payment.use-case';
import { chargeOutcomeOf, type PspGateway } from '../domain/psp.port';
import type { LateCharges } from '../infra/late-charges';
import type { Payment } from '../domain/payment';
import type { PaymentSettlement } from '../infra/payment-settlement';
import type { PaymentsRepository } from '../infra/payments.repository';

export type SettleBeforeRefundOutcome =
  // The payment's money is known (or there is no such payment): the refund decides now.
  | { kind: 'settled'; paymentId: string }
  // Money may be held and nobody knows yet: answer "retry", and store nothing.
  | { kind: 'unsettled'; reason: string };

// A compensation may refund only a payment whose money is known; it never answers "nothing
// to refund" while a charge may still land. Before the refund it settles the capture:
//   no payment under the capture's key  a failed tombstone takes the key, so a capture
//                                       command still unread in Kafka charges nothing
//   pending (never reached the PSP)     abandoned under the row lock: a resuming capture
//                                       finds it failed and never calls the PSP
//   processing                          asked at the PSP by key; "no charge" is believed
//                                       only when no charge attempt can still be in flight
//   failed with a late charge           the charge is given back first
export class SettleBeforeRefund {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly payments: PaymentsRepository,
    private readonly settlement: PaymentSettlement,
    private readonly psp: PspGateway,
    private readonly lateCharges: LateCharges,
    // The longest PSP charge call (timeouts, retries, backoff, the final lookup).
    private readonly chargeCallBoundMs: number,
  ) {}

  async execute(target: {
    scope: string;
    captureKey: string;
    paymentId?: string;
  }): Promise<SettleBeforeRefundOutcome> {
    const payment = await this.paymentOf(target);
    if (!payment) return { kind: 'settled', paymentId: target.paymentId ?? '' };
    let status = payment.status;
    if (status === 'pending') status = await this.abandonIfPending(payment.id);
    if (status === 'processing') {
      const askedAt = Date.now();
      const found = await this.psp.findCharge(payment.pspKey);
      if (found.kind === 'unknown') {
        return { kind: 'unsettled', reason: `the PSP could not be asked: ${found.reason}` };
      }
      const settled = await this.transactions.inTransaction((sql) =>
        this.settlement.settle(sql, payment.id, chargeOutcomeOf(found), {
          noAttemptSince: new Date(askedAt - this.chargeCallBoundMs),
        }),
      );
      if (settled.status === 'processing') {
        return { kind: 'unsettled', reason: 'a charge attempt may still be in flight' };
      }
      status = settled.status;
    }
    if (status === 'failed') {
      const late = await this.lateCharges.returnPending({ paymentId: payment.id, limit: 1 });
      if (late.unresolved > 0) {
        return { kind: 'unsettled', reason: 'a late charge is still being given back' };
      }
    }
    return { kind: 'settled', paymentId: payment.id };
  }

  // The payment the compensation is about; a tombstone when the capture has not arrived.
  private async paymentOf(target: {
    scope: string;
    captureKey: string;
    paymentId?: string;
  }): Promise<Payment | null> {
    if (target.paymentId) {
      const id = target.paymentId;
      return this.transactions.inTransaction((sql) => this.payments.findById(sql, id));
    }
    return this.transactions.inTransaction(async (sql) => {
      const existing = await this.payments.findByKey(sql, target.scope, target.captureKey);
      if (existing) return existing;
      // The unique (scope, key) decides a race with the capture's first phase: either the
      // tombstone or the capture's payment holds the key, never both.
      await this.payments.insertTombstone(sql, {
        id: randomUUID(),
        scope: target.scope,
        key: target.captureKey,
        reason: CAPTURE_ABANDONED,
        at: new Date(),
      });
      return this.payments.findByKey(sql, target.scope, target.captureKey);
    });
  }

  private async abandonIfPending(id: string): Promise<Payment['status']> {
    return this.transactions.inTransaction(async (sql) => {
      const locked = await this.payments.findById(sql, id, true);
      if (!locked) throw new Error(`payment ${id} vanished`);
      if (locked.status !== 'pending') return locked.status;
      const failed = await this.payments.apply(sql, locked, 'abandon', {
        failureReason: 'abandoned',
      });
      return failed.status;
    });
  }
}
