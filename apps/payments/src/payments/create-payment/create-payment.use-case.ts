import { randomUUID } from 'node:crypto';
import {
  runRecoverable,
  type IdempotencyStore,
  type SqlExecutor,
  type StoredResponse,
} from '@suite/coordination';
import type { TypeOrmTransactions } from '../../database/typeorm-transactions';
import { isSettled } from '../domain/payment-status';
import { paymentResponse } from '../domain/payment-view';
import type { PspGateway } from '../domain/psp.port';
import type { PaymentSettlement } from '../infra/payment-settlement';
import type { PaymentsRepository } from '../infra/payments.repository';

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

// POST /payments in three recoverable phases; a crash between two of them resumes at the
// first that did not commit:
//   payment_created   the pending payment row
//   charge_started    pending -> processing: from here the PSP may hold a charge
//   (final)           the keyed PSP call, then in ONE transaction the settled payment,
//                     its ledger postings, its outbox event and the stored response
export class CreatePaymentUseCase {
  constructor(
    private readonly transactions: TypeOrmTransactions,
    private readonly store: IdempotencyStore,
    private readonly payments: PaymentsRepository,
    private readonly settlement: PaymentSettlement,
    private readonly psp: PspGateway,
  ) {}

  async execute(input: CreatePaymentInput): Promise<CreatePaymentOutcome> {
    const { scope, key, ...body } = input;
    const begun = await this.store.begin(this.transactions.autocommit(), {
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
            createdAt: now,
            updatedAt: now,
          });
        },
      },
      {
        reaches: 'charge_started',
        run: async (sql: SqlExecutor) => {
          const payment = await this.mustFind(sql, scope, key, true);
          // The reconciliation job may have abandoned it meanwhile; then nothing to start.
          if (payment.status === 'pending') await this.payments.apply(sql, payment, 'start_charge');
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
          let payment = await this.mustFind(sql, scope, key, false);
          if (!isSettled(payment.status)) {
            // The one call that can move money, keyed by the payment: a retry of this
            // phase (after a crash or a timeout) gets the PSP's first answer back.
            const charged = await this.psp.charge({
              key: payment.pspKey,
              amountMinor: payment.amountMinor,
              currency: payment.currency,
              sourceToken: payment.sourceToken,
              merchantReference: payment.id,
            });
            if (charged.kind === 'unknown') throw new OutcomeUnknown(payment.id, charged.reason);
            payment = await this.settlement.settle(sql, payment.id, charged);
          }
          return paymentResponse(payment);
        },
      );
      if (outcome.kind === 'lock-lost') return { kind: 'in-progress', retryAfterMs: 1_000 };
      return { kind: 'responded', response: outcome.response, replayed: false };
    } catch (error) {
      // Free the key so the client's retry resumes now instead of after the lock timeout.
      await this.store.release(this.transactions.autocommit(), begun.handle).catch(() => undefined);
      if (error instanceof OutcomeUnknown) {
        return { kind: 'outcome-unknown', paymentId: error.paymentId, reason: error.reason };
      }
      throw error;
    }
  }

  private async mustFind(sql: SqlExecutor, scope: string, key: string, forUpdate: boolean) {
    const payment = await this.payments.findByKey(sql, scope, key, forUpdate);
    if (!payment) throw new Error(`payment for key ${scope}/${key} is missing after its phase`);
    return payment;
  }
}
