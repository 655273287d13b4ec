import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  IdempotencyStore,
  runRecoverable,
  type SqlExecutor,
  type StoredResponse,
  type TransactionRunner,
} from '@suite/coordination';
import { AUTOCOMMIT, PSP_GATEWAY, TRANSACTIONS } from '../../payments.tokens';
import { paymentResponse } from '../domain/payment-view';
import type { PspGateway } from '../domain/psp.port';
import { LateCharges } from '../infra/late-charges';
import type { Payment } from '../domain/payment';
import { PaymentSettlement } from '../infra/payment-settlement';
import { PaymentsRepository } from '../infra/payments.repository';

export interface CreatePaymentInput {
  // Whose key it is (an HTTP caller, or the saga): keys of two scopes never collide.
  scope: string;
  key: string;
  amountMinor: number;
  currency: string;
  sourceToken: string;
  merchantReference: string;
}

export type CreatePaymentOutcome =
  | { kind: 'responded'; response: StoredResponse; replayed: boolean }
  | { kind: 'in-progress'; retryAfterMs: number }
  | { kind: 'payload-mismatch' }
  | { kind: 'invalid-key'; reason: string }
  // The PSP gave no definitive answer; the payment stays processing, the key is free,
  // and a retry with the same key (or the reconciliation job) settles it.
  | { kind: 'outcome-unknown'; paymentId: string; reason: string };

class OutcomeUnknown extends Error {
  constructor(
    readonly paymentId: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export const CREATE_PAYMENT_PATH = '/payments';

// The failure reason of the tombstone a compensation leaves under a capture's key when the
// capture had not arrived yet (see SettleBeforeRefund): the late capture charges nothing.
export const CAPTURE_ABANDONED = 'abandoned: compensated before the capture arrived';

// A key names one payment forever, also after its idempotency record was purged: the same
// request gets that payment as it is now, another request under the key a 422.
const keyReused: StoredResponse = {
  status: 422,
  body: {
    statusCode: 422,
    error: 'idempotency_key_reused',
    message: 'this Idempotency-Key was used with a different request',
  },
};

type PaymentBody = Omit<CreatePaymentInput, 'scope' | 'key'>;

const isRequestOf = (payment: Payment, body: PaymentBody) =>
  payment.amountMinor === body.amountMinor &&
  payment.currency === body.currency &&
  payment.sourceToken === body.sourceToken &&
  payment.merchantReference === body.merchantReference;

// POST /payments in three recoverable phases; a crash between two of them resumes at the
// first that did not commit:
//   payment_created   the pending payment row
//   charge_started    pending -> processing: from here the PSP may hold a charge
//   (final)           the charge attempt stamped (committed, and only while the payment is
//                     still processing), the keyed PSP call, then in ONE transaction the
//                     settled payment, its ledger postings, its outbox event and the
//                     stored response
// A key whose idempotency record was purged starts again at the first phase and meets its
// payment there: nothing is inserted or charged twice.
@Injectable()
export class CreatePaymentUseCase {
  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: TransactionRunner,
    @Inject(AUTOCOMMIT) private readonly autocommit: SqlExecutor,
    private readonly store: IdempotencyStore,
    private readonly payments: PaymentsRepository,
    private readonly settlement: PaymentSettlement,
    @Inject(PSP_GATEWAY) private readonly psp: PspGateway,
    private readonly lateCharges: LateCharges,
  ) {}

  async execute(input: CreatePaymentInput): Promise<CreatePaymentOutcome> {
    const { scope, key, ...body } = input;
    const begun = await this.store.begin(this.autocommit, {
      scope,
      key,
      method: 'POST',
      path: CREATE_PAYMENT_PATH,
      body,
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
        reaches: 'payment_created',
        run: async (sql: SqlExecutor) => {
          // The key's payment already exists (its record was purged, or a compensation
          // left a tombstone): the final phase answers with it.
          if (await this.payments.findByKey(sql, scope, key, true)) return;
          const id = randomUUID();
          const now = new Date();
          await this.payments.insert(sql, {
            id,
            idempotencyScope: scope,
            idempotencyKey: key,
            // The PSP's idempotency key: the payment's own id, stable across retries.
            pspKey: id,
            ...body,
            status: 'pending',
            pspChargeId: null,
            failureReason: null,
            refundedMinor: 0,
            chargeAttemptedAt: null,
            createdAt: now,
            updatedAt: now,
          });
        },
      },
      {
        reaches: 'charge_started',
        run: async (sql: SqlExecutor) => {
          const payment = await this.mustFind(sql, scope, key, true);
          // The reconciliation job or a compensation may have abandoned it meanwhile, or the
          // key names another request's payment; then nothing to start.
          if (payment.status === 'pending' && isRequestOf(payment, body)) {
            await this.payments.apply(sql, payment, 'start_charge');
          }
        },
      },
    ];

    let paymentId: string | undefined;
    try {
      const outcome = await runRecoverable(
        this.transactions,
        this.store,
        begun.handle,
        phases,
        async (sql) => {
          let payment = await this.mustFind(sql, scope, key, false);
          paymentId = payment.id;
          if (payment.failureReason === CAPTURE_ABANDONED) return paymentResponse(payment);
          if (!isRequestOf(payment, body)) return keyReused;
          if (payment.status === 'processing') payment = await this.charge(sql, payment);
          return paymentResponse(payment);
        },
      );
      if (outcome.kind === 'lock-lost') return { kind: 'in-progress', retryAfterMs: 1_000 };
      return { kind: 'responded', response: outcome.response, replayed: false };
    } catch (error) {
      // Free the key so the client's retry resumes now instead of after the lock timeout.
      await this.store.release(this.autocommit, begun.handle).catch(() => undefined);
      if (error instanceof OutcomeUnknown) {
        return { kind: 'outcome-unknown', paymentId: error.paymentId, reason: error.reason };
      }
      throw error;
    } finally {
      // A charge that landed after the payment had failed goes back at once; if the PSP
      // cannot be asked now (or this fails), the reconciliation job returns it.
      if (paymentId) {
        await this.lateCharges.returnPending({ paymentId, limit: 1 }).catch(() => undefined);
      }
    }
  }

  // The one call that can move money, keyed by the payment: a retry (after a crash or a
  // timeout) gets the PSP's first answer back. The attempt is stamped and committed first,
  // under the row lock and only while the payment is still processing, so the reconciler
  // and a refund never call it "not charged" while this call may still land.
  private async charge(sql: SqlExecutor, payment: Payment): Promise<Payment> {
    const stamped = await this.transactions.inTransaction((own) =>
      this.payments.stampChargeAttempt(own, payment.id, new Date()),
    );
    if (!stamped) {
      // Settled meanwhile by the reconciler or a refund: answer what it is now.
      const now = await this.payments.findById(sql, payment.id);
      if (!now) throw new Error(`payment ${payment.id} vanished`);
      return now;
    }
    const charged = await this.psp.charge({
      key: payment.pspKey,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      sourceToken: payment.sourceToken,
      merchantReference: payment.id,
    });
    if (charged.kind === 'unknown') throw new OutcomeUnknown(payment.id, charged.reason);
    return this.settlement.settle(sql, payment.id, charged);
  }

  private async mustFind(sql: SqlExecutor, scope: string, key: string, forUpdate: boolean) {
    const payment = await this.payments.findByKey(sql, scope, key, forUpdate);
    if (!payment) throw new Error(`payment for key ${scope}/${key} is missing after its phase`);
    return payment;
  }
}
