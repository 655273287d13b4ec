import { Injectable } from '@nestjs/common';
import { FaultPlan } from '../../faults/domain/fault-plan';
import { Pauses } from '../../faults/pauses';
import { sameRefund, type RefundRequest, type RefundView } from '../domain/charge';
import { toRefundView } from '../infra/charge.mapper';
import { ChargesRepository } from '../infra/charges.repository';

export type CreateRefundResult =
  | { kind: 'refunded'; refund: RefundView; replayed: boolean }
  | { kind: 'key-reused' }
  | { kind: 'charge-not-found' }
  | { kind: 'not-refundable' }
  | { kind: 'exceeds-charge'; refundableMinor: number }
  | { kind: 'unavailable' };

// A refund is made at most once per Idempotency-Key, and never beyond what was charged.
@Injectable()
export class CreateRefundUseCase {
  constructor(
    private readonly charges: ChargesRepository,
    private readonly faults: FaultPlan,
    private readonly pauses: Pauses,
  ) {}

  async execute(request: RefundRequest): Promise<CreateRefundResult> {
    await this.pauses.pause(this.faults.latencyMs);
    const existing = await this.charges.findRefundByKey(request.idempotencyKey);
    if (existing) {
      return sameRefund(existing, request)
        ? { kind: 'refunded', refund: toRefundView(existing), replayed: true }
        : { kind: 'key-reused' };
    }
    if (this.faults.nextRefund() === 'error') return { kind: 'unavailable' };
    const written = await this.charges.refund(request);
    switch (written.kind) {
      case 'refunded':
        return { kind: 'refunded', refund: toRefundView(written.refund), replayed: false };
      case 'duplicate-key': {
        const winner = await this.charges.findRefundByKey(request.idempotencyKey);
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
