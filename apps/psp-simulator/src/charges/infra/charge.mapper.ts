import type { ChargeView, RefundView } from '../domain/charge';
import type { ChargeRecord, RefundRecord } from './charge.record';

export function toChargeView(record: ChargeRecord): ChargeView {
  return {
    id: record.id,
    status: record.status,
    amountMinor: record.amountMinor,
    currency: record.currency,
    merchantReference: record.merchantReference,
    refundedMinor: record.refundedMinor,
    createdAt: record.createdAt.toISOString(),
  };
}

export function toRefundView(record: RefundRecord): RefundView {
  return {
    id: record.id,
    chargeId: record.chargeId,
    amountMinor: record.amountMinor,
    createdAt: record.createdAt.toISOString(),
  };
}
