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
