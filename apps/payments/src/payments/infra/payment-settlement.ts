import { PAYMENT_EVENT_TYPES } from '@suite/contracts';
import type { SqlExecutor } from '@suite/coordination';
import { captureEntry } from '../../ledger/domain/journal-entry';
import type { LedgerRepository } from '../../ledger/infra/ledger.repository';
import type { ChargeOutcome } from '../domain/psp.port';
import type { PaymentEventsOutbox } from './payment-events.outbox';
import type { PaymentRecord } from './payment.record';
import type { PaymentsRepository } from './payments.repository';

export type DefinitiveCharge = Exclude<ChargeOutcome, { kind: 'unknown' }>;

// Applies the PSP's final word to a payment, in the caller's transaction: the status, the
// ledger postings and the outbox event commit together. Shared by the request path and
// the reconciliation job; whichever locks the row first settles it, the other finds it
// settled and changes nothing.
export class PaymentSettlement {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly ledger: LedgerRepository,
    private readonly events: PaymentEventsOutbox,
  ) {}

  async settle(
    sql: SqlExecutor,
    paymentId: string,
    outcome: DefinitiveCharge,
  ): Promise<PaymentRecord> {
    const payment = await this.payments.findById(sql, paymentId, true);
    if (!payment) throw new Error(`payment ${paymentId} vanished`);
    if (payment.status !== 'processing') return payment;
    switch (outcome.kind) {
      case 'succeeded': {
        const captured = await this.payments.apply(sql, payment, 'charge_succeeded', {
          pspChargeId: outcome.chargeId,
        });
        await this.ledger.post(sql, captureEntry(captured));
        await this.events.record(sql, PAYMENT_EVENT_TYPES.captured, captured);
        return captured;
      }
      case 'declined':
      case 'not-charged': {
        // No money moved, so no ledger entry.
        const failed = await this.payments.apply(
          sql,
          payment,
          outcome.kind === 'declined' ? 'charge_declined' : 'charge_not_made',
          {
            pspChargeId: outcome.kind === 'declined' ? outcome.chargeId : null,
            failureReason: outcome.kind === 'declined' ? outcome.reason : 'psp_error',
          },
        );
        await this.events.record(sql, PAYMENT_EVENT_TYPES.failed, failed, {
          reason: failed.failureReason ?? undefined,
        });
        return failed;
      }
    }
  }
}
