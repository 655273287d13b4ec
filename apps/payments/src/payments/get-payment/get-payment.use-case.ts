import { Inject, Injectable } from '@nestjs/common';
import type { TransactionRunner } from '@suite/coordination';
import { TRANSACTIONS } from '../../payments.tokens';
import { isOwnedBy } from '../domain/payment-owner';
import { toPaymentView, type PaymentView } from '../domain/payment-view';
import { PaymentsRepository } from '../infra/payments.repository';

export interface GetPaymentInput {
  // The caller's scope (`user:<sub>`): only the payment's owner sees it.
  scope: string;
  paymentId: string;
}

export type GetPaymentOutcome =
  | { kind: 'found'; payment: PaymentView }
  | { kind: 'not-found'; paymentId: string };

// GET /payments/:id. Not found for an unknown payment and for one the caller does not own:
// the two must be indistinguishable, or a payment's existence leaks.
@Injectable()
export class GetPaymentUseCase {
  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly payments: PaymentsRepository,
  ) {}

  async execute(input: GetPaymentInput): Promise<GetPaymentOutcome> {
    const payment = await this.transactions.inTransaction((sql) =>
      this.payments.findById(sql, input.paymentId),
    );
    return payment && isOwnedBy(payment, input.scope)
      ? { kind: 'found', payment: toPaymentView(payment) }
      : { kind: 'not-found', paymentId: input.paymentId };
  }
}
