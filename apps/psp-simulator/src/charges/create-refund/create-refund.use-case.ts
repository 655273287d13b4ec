import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor, TransactionRunner } from '@suite/coordination';
import { FaultPlan } from '../../faults/domain/fault-plan';
import { Pauses } from '../../faults/infra/pauses';
import { AUTOCOMMIT, TRANSACTIONS } from '../../psp-simulator.tokens';
import {
  refundRefusal,
  sameRefund,
  toRefundView,
  type RefundRequest,
  type RefundView,
} from '../domain/charge';
import { ChargesRepository } from '../infra/charges.repository';

export type CreateRefundResult =
  | { kind: 'refunded'; refund: RefundView; replayed: boolean }
  | { kind: 'key-reused' }
  | { kind: 'charge-not-found'; chargeId: string }
  | { kind: 'not-refundable' }
  | { kind: 'exceeds-charge'; refundableMinor: number }
  | { kind: 'unavailable' };

// A refund is made at most once per Idempotency-Key, and never beyond what was charged.
@Injectable()
export class CreateRefundUseCase {
  constructor(
    @Inject(TRANSACTIONS) private readonly tx: TransactionRunner,
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly charges: ChargesRepository,
    private readonly faults: FaultPlan,
    private readonly pauses: Pauses,
  ) {}

  async execute(request: RefundRequest): Promise<CreateRefundResult> {
    await this.pauses.pause(this.faults.latencyMs);
    const existing = await this.charges.findRefundByKey(this.sql, request.idempotencyKey);
    if (existing) {
      return sameRefund(existing, request)
        ? { kind: 'refunded', refund: toRefundView(existing), replayed: true }
        : { kind: 'key-reused' };
    }
    if (this.faults.nextRefund() === 'error') return { kind: 'unavailable' };
    // One transaction under the charge's row lock: the check and the write cannot be
    // separated by another refund of the same charge.
    const written = await this.tx.inTransaction(async (sql) => {
      const charge = await this.charges.lock(sql, request.chargeId);
      if (!charge) return { kind: 'charge-not-found', chargeId: request.chargeId } as const;
      const refusal = refundRefusal(charge, request.amountMinor);
      if (refusal) return refusal;
      const refund = await this.charges.insertRefundIfAbsent(sql, request);
      if (!refund) return { kind: 'duplicate-key' } as const;
      await this.charges.addRefunded(sql, charge.id, request.amountMinor);
      return { kind: 'refunded', refund } as const;
    });
    switch (written.kind) {
      case 'refunded':
        return { kind: 'refunded', refund: toRefundView(written.refund), replayed: false };
      case 'duplicate-key': {
        // A concurrent duplicate inserted first; answer as its replay.
        const winner = await this.charges.findRefundByKey(this.sql, request.idempotencyKey);
        if (!winner) throw new Error(`refund for key ${request.idempotencyKey} vanished`);
        return sameRefund(winner, request)
          ? { kind: 'refunded', refund: toRefundView(winner), replayed: true }
          : { kind: 'key-reused' };
      }
      default:
        return written;
    }
  }
}
