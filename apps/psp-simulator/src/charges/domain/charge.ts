// A charge as the simulator reports it to merchants. Amounts are in minor units
// (cents), never floats.
export type ChargeStatus = 'succeeded' | 'declined';

export interface ChargeView {
  id: string;
  status: ChargeStatus;
  amountMinor: number;
  currency: string;
  merchantReference: string;
  refundedMinor: number;
  createdAt: string;
}

export interface RefundView {
  id: string;
  chargeId: string;
  amountMinor: number;
  createdAt: string;
}

// A charge as stored: the view's fields plus what the simulator keeps to itself.
export interface Charge {
  id: string;
  idempotencyKey: string;
  amountMinor: number;
  currency: string;
  sourceToken: string;
  merchantReference: string;
  status: ChargeStatus;
  refundedMinor: number;
  callbackUrl: string | null;
  createdAt: Date;
}

export interface Refund {
  id: string;
  idempotencyKey: string;
  chargeId: string;
  amountMinor: number;
  createdAt: Date;
}

export interface ChargeRequest {
  idempotencyKey: string;
  amountMinor: number;
  currency: string;
  sourceToken: string;
  merchantReference: string;
  callbackUrl?: string;
}

export interface RefundRequest {
  idempotencyKey: string;
  chargeId: string;
  amountMinor: number;
}

// A test card that is always declined, whatever the fault plan says.
export const DECLINED_SOURCE_TOKEN = 'tok_chargeDeclined';

// What makes a reused key "the same request": the money-relevant fields. The callback
// URL is not one of them.
export function sameCharge(
  stored: Pick<ChargeRequest, 'amountMinor' | 'currency' | 'sourceToken' | 'merchantReference'>,
  request: ChargeRequest,
): boolean {
  return (
    stored.amountMinor === request.amountMinor &&
    stored.currency === request.currency &&
    stored.sourceToken === request.sourceToken &&
    stored.merchantReference === request.merchantReference
  );
}

export function sameRefund(
  stored: Pick<RefundRequest, 'chargeId' | 'amountMinor'>,
  request: RefundRequest,
): boolean {
  return stored.chargeId === request.chargeId && stored.amountMinor === request.amountMinor;
}

// Why a refund of amountMinor cannot be made against the charge; null when it can.
export type RefundRefusal =
  | { kind: 'not-refundable' }
  | { kind: 'exceeds-charge'; refundableMinor: number };

export function refundRefusal(
  charge: Pick<Charge, 'status' | 'amountMinor' | 'refundedMinor'>,
  amountMinor: number,
): RefundRefusal | null {
  if (charge.status !== 'succeeded') return { kind: 'not-refundable' };
  const refundableMinor = charge.amountMinor - charge.refundedMinor;
  if (amountMinor > refundableMinor) return { kind: 'exceeds-charge', refundableMinor };
  return null;
}

export function toChargeView(charge: Charge): ChargeView {
  return {
    id: charge.id,
    status: charge.status,
    amountMinor: charge.amountMinor,
    currency: charge.currency,
    merchantReference: charge.merchantReference,
    refundedMinor: charge.refundedMinor,
    createdAt: charge.createdAt.toISOString(),
  };
}

export function toRefundView(refund: Refund): RefundView {
  return {
    id: refund.id,
    chargeId: refund.chargeId,
    amountMinor: refund.amountMinor,
    createdAt: refund.createdAt.toISOString(),
  };
}
