import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PAYMENT_EVENT_TYPES } from '@suite/contracts';
import {
  IdempotencyStore,
  runRecoverable,
  type SqlExecutor,
  type StoredResponse,
  type TransactionRunner,
} from '@suite/coordination';
import { refundEntry } from '../../ledger/domain/journal-entry';
import { LedgerRepository } from '../../ledger/infra/ledger.repository';
import { AUTOCOMMIT, PSP_GATEWAY, TRANSACTIONS } from '../../payments.tokens';
import { isOwnedBy } from '../domain/payment-owner';
import { isRefundable } from '../domain/payment-status';
import { toPaymentView } from '../domain/payment-view';
import type { PspGateway } from '../domain/psp.port';
import { PaymentEventsOutbox } from '../infra/payment-events.outbox';
import type { Payment, Refund } from '../domain/payment';
import { PaymentsRepository } from '../infra/payments.repository';

export interface RefundPaymentInput {
  // The caller's scope (`user:<sub>`, or the saga's): it must be the payment's owner's.
  scope: string;
  key: string;
  paymentId: string;
  // Absent: everything not yet refunded.
  amountMinor?: number;
}

export type RefundPaymentOutcome =
  | { kind: 'responded'; response: StoredResponse; replayed: boolean }
  | { kind: 'in-progress'; retryAfterMs: number }
  | { kind: 'payload-mismatch' }
  | { kind: 'invalid-key'; reason: string }
  | { kind: 'outcome-unknown'; reason: string };

class OutcomeUnknown extends Error {}

const error = (status: number, code: string, message: string): StoredResponse => ({
  status,
  body: { statusCode: status, error: code, message },
});

// POST /payments/:id/refunds in two recoverable phases:
// Only the payment's owner may refund it (the scope that created it); anyone else gets the
// 404 of an unknown payment, stored under their key like any other answer. A key names one
// refund forever: after its idempotency record was purged, the same request gets that
// refund as it is now, and another request under the key a 422.
//   refund_created  with the payment row locked: the refund fits beside every other
//                   refund that has not failed, so concurrent refunds never exceed it
//   (final)         the keyed PSP refund, then in ONE transaction the refund's outcome,
//                   the payment's refunded amount and status, the ledger entry, the
//                   outbox event and the stored response
@Injectable()
export class RefundPaymentUseCase {
  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: TransactionRunner,
    @Inject(AUTOCOMMIT) private readonly autocommit: SqlExecutor,
    private readonly store: IdempotencyStore,
    private readonly payments: PaymentsRepository,
    private readonly ledger: LedgerRepository,
    private readonly events: PaymentEventsOutbox,
    @Inject(PSP_GATEWAY) private readonly psp: PspGateway,
  ) {}

  async execute(input: RefundPaymentInput): Promise<RefundPaymentOutcome> {
    const { scope, key, paymentId, amountMinor } = input;
    const begun = await this.store.begin(this.autocommit, {
      scope,
      key,
      method: 'POST',
      path: `/payments/${paymentId}/refunds`,
      body: { amountMinor: amountMinor ?? null },
    });
    switch (begun.kind) {
      case 'replay':
        return { kind: 'responded', response: begun.response, replayed: true };
      case 'in-progress':
      case 'payload-mismatch':
      case 'invalid-key':
        return begun;
      case 'acquired':
        break;
    }

    const phases = [
      {
        reaches: 'refund_created',
        run: async (sql: SqlExecutor) => {
          // The key's refund exists (its record was purged): the final phase answers with it.
          if (await this.payments.findRefundByKey(sql, scope, key, true)) return;
          const payment = await this.payments.findById(sql, paymentId, true);
          const verdict = await this.check(sql, scope, payment, amountMinor);
          if (verdict.kind !== 'ok' || !payment) return; // the final phase answers why
          const now = new Date();
          await this.payments.insertRefund(sql, {
            id: randomUUID(),
            paymentId: payment.id,
            idempotencyScope: scope,
            idempotencyKey: key,
            amountMinor: verdict.amountMinor,
            status: 'pending',
            pspRefundId: null,
            failureReason: null,
            createdAt: now,
            updatedAt: now,
          });
        },
      },
    ];

    try {
      const outcome = await runRecoverable(
        this.transactions,
        this.store,
        begun.handle,
        phases,
        async (sql) => {
          const refund = await this.payments.findRefundByKey(sql, scope, key);
          if (!refund) {
            const payment = await this.payments.findById(sql, paymentId);
            const verdict = await this.check(sql, scope, payment, amountMinor);
            return verdict.kind === 'ok'
              ? error(409, 'refund_conflict', 'the payment changed; retry with a new key')
              : verdict.response;
          }
          const sameRequest =
            refund.paymentId === paymentId &&
            (amountMinor === undefined || amountMinor === refund.amountMinor);
          if (!sameRequest) {
            return error(
              422,
              'idempotency_key_reused',
              'this Idempotency-Key was used with a different request',
            );
          }
          if (refund.status === 'pending') await this.refundAtPsp(sql, refund);
          return this.respond(sql, refund);
        },
      );
      if (outcome.kind === 'lock-lost') return { kind: 'in-progress', retryAfterMs: 1_000 };
      return { kind: 'responded', response: outcome.response, replayed: false };
    } catch (failure) {
      await this.store.release(this.autocommit, begun.handle).catch(() => undefined);
      if (failure instanceof OutcomeUnknown) {
        return { kind: 'outcome-unknown', reason: failure.message };
      }
      throw failure;
    }
  }

  private async check(
    sql: SqlExecutor,
    scope: string,
    payment: Payment | null,
    amountMinor: number | undefined,
  ): Promise<{ kind: 'ok'; amountMinor: number } | { kind: 'rejected'; response: StoredResponse }> {
    // Someone else's payment answers exactly like one that does not exist.
    if (!payment || !isOwnedBy(payment, scope)) {
      return { kind: 'rejected', response: error(404, 'payment_not_found', 'no such payment') };
    }
    if (!isRefundable(payment.status)) {
      return {
        kind: 'rejected',
        response: error(
          409,
          'payment_not_refundable',
          `a ${payment.status} payment cannot be refunded`,
        ),
      };
    }
    const refundable =
      payment.amountMinor - (await this.payments.reservedForRefunds(sql, payment.id));
    const amount = amountMinor ?? refundable;
    if (amount < 1 || amount > refundable) {
      return {
        kind: 'rejected',
        response: error(422, 'amount_too_large', `at most ${refundable} can still be refunded`),
      };
    }
    return { kind: 'ok', amountMinor: amount };
  }

  private async refundAtPsp(sql: SqlExecutor, refund: Refund): Promise<void> {
    const payment = await this.payments.findById(sql, refund.paymentId);
    if (!payment?.pspChargeId) throw new Error(`payment ${refund.paymentId} has no PSP charge`);
    const answer = await this.psp.refund({
      key: refund.id,
      chargeId: payment.pspChargeId,
      amountMinor: refund.amountMinor,
    });
    if (answer.kind === 'unknown') throw new OutcomeUnknown(answer.reason);
    const locked = await this.payments.findById(sql, refund.paymentId, true);
    if (!locked) throw new Error(`payment ${refund.paymentId} vanished`);
    if (answer.kind === 'rejected') {
      refund.status = 'failed';
      refund.failureReason = answer.reason;
      await this.payments.saveRefund(sql, refund);
      return;
    }
    refund.status = 'succeeded';
    refund.pspRefundId = answer.refundId;
    await this.payments.saveRefund(sql, refund);
    const refundedMinor = locked.refundedMinor + refund.amountMinor;
    const updated = await this.payments.apply(
      sql,
      locked,
      refundedMinor === locked.amountMinor ? 'refund_full' : 'refund_partial',
      { refundedMinor },
    );
    await this.ledger.post(sql, refundEntry({ ...refund, currency: updated.currency }));
    await this.events.record(sql, PAYMENT_EVENT_TYPES.refunded, updated, {
      refundId: refund.id,
      refundedMinor: refund.amountMinor,
    });
  }

  private async respond(sql: SqlExecutor, refund: Refund): Promise<StoredResponse> {
    if (refund.status === 'failed') {
      return error(409, 'refund_rejected', `the PSP refused the refund: ${refund.failureReason}`);
    }
    const payment = await this.payments.findById(sql, refund.paymentId);
    if (!payment) throw new Error(`payment ${refund.paymentId} vanished`);
    return {
      status: 201,
      body: {
        id: refund.id,
        paymentId: refund.paymentId,
        amountMinor: refund.amountMinor,
        status: refund.status,
        payment: toPaymentView(payment),
      },
    };
  }
}
