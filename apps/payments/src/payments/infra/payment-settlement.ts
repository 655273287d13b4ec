import { randomUUID } from 'node:crypto';
import { PAYMENT_EVENT_TYPES } from '@suite/contracts';
import type { SqlExecutor } from '@suite/coordination';
import { captureEntry } from '../../ledger/domain/journal-entry';
import type { LedgerRepository } from '../../ledger/infra/ledger.repository';
import { firstCheckAt, type LateChargeSchedule } from '../domain/late-charge-schedule';
import type { ChargeOutcome } from '../domain/psp.port';
import type { LateChargeWatchesRepository } from './late-charge-watches.repository';
import type { PaymentEventsOutbox } from './payment-events.outbox';
import type { Payment } from '../domain/payment';
import type { PaymentsRepository } from './payments.repository';

export type DefinitiveCharge = Exclude<ChargeOutcome, { kind: 'unknown' }>;

export interface SettleOptions {
  // "Not charged" is believed only if the payment's last charge attempt began before this
  // instant: a later one may still land at the PSP. The payment then stays processing.
  noAttemptSince?: Date;
}

// Applies the PSP's final word to a payment, in the caller's transaction: the status, the
// ledger postings and the outbox event commit together. Shared by the request path, the
// reconciliation job and the saga's refund; whichever locks the row first settles it, the
// others find it settled and change nothing, except for one case that must not be lost: a
// charge that landed on a payment already failed is recorded as a late charge to give back
// (LateCharges), never silently kept. A payment failed with no word from the PSP after a
// charge request was sent is watched for such a charge (LateChargeSweep).
export class PaymentSettlement {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly ledger: LedgerRepository,
    private readonly events: PaymentEventsOutbox,
    private readonly watches: LateChargeWatchesRepository,
    private readonly lateChargeSchedule: LateChargeSchedule,
  ) {}

  async settle(
    sql: SqlExecutor,
    paymentId: string,
    outcome: DefinitiveCharge,
    options: SettleOptions = {},
  ): Promise<Payment> {
    const payment = await this.payments.findById(sql, paymentId, true);
    if (!payment) throw new Error(`payment ${paymentId} vanished`);
    if (payment.status === 'failed' && outcome.kind === 'succeeded') {
      if (payment.pspChargeId === null) {
        await this.payments.recordLateCharge(
          sql,
          payment,
          outcome.chargeId,
          randomUUID(),
          new Date(),
        );
      }
      return payment;
    }
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
      case 'not-charged':
      case 'refused': {
        const lastAttempt = payment.chargeAttemptedAt ?? payment.updatedAt;
        if (
          outcome.kind === 'not-charged' &&
          options.noAttemptSince &&
          lastAttempt >= options.noAttemptSince
        ) {
          return payment;
        }
        // No money moved, so no ledger entry.
        const failed = await this.payments.apply(
          sql,
          payment,
          outcome.kind === 'declined' ? 'charge_declined' : 'charge_not_made',
          {
            pspChargeId: outcome.kind === 'declined' ? outcome.chargeId : null,
            failureReason: failureReasonOf(outcome),
          },
        );
        await this.events.record(sql, PAYMENT_EVENT_TYPES.failed, failed, {
          reason: failed.failureReason ?? undefined,
        });
        // A decline or a refusal is the PSP's own decision. "Not charged" is only what it
        // held when asked: a request it still holds may be acted on later.
        if (outcome.kind === 'not-charged' && failed.chargeAttemptedAt !== null) {
          await this.watches.open(
            sql,
            failed.id,
            failed.updatedAt,
            firstCheckAt(failed.updatedAt, this.lateChargeSchedule),
          );
        }
        return failed;
      }
    }
  }
}

function failureReasonOf(outcome: Exclude<DefinitiveCharge, { kind: 'succeeded' }>): string {
  switch (outcome.kind) {
    case 'declined':
      return outcome.reason;
    case 'not-charged':
      return 'psp_error';
    case 'refused':
      return `psp_refused: ${outcome.reason}`;
  }
}
