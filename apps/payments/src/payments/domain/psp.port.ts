// What payments needs from a card processor. Every call carries a key the PSP dedupes
// on, so a retry of any of them cannot charge or refund twice.

export interface PspChargeRequest {
  key: string;
  amountMinor: number;
  currency: string;
  sourceToken: string;
  merchantReference: string;
}

export type ChargeOutcome =
  | { kind: 'succeeded'; chargeId: string }
  | { kind: 'declined'; chargeId: string; reason: string }
  // The PSP answered every attempt and holds no charge under the key.
  | { kind: 'not-charged'; reason: string }
  // The PSP refused the request itself (a 4xx other than a decline: bad input) and holds no
  // charge under the key. Final: the same request will be refused again.
  | { kind: 'refused'; reason: string }
  // No definitive answer (timeouts, circuit open): the charge may or may not exist.
  | { kind: 'unknown'; reason: string };

export type ChargeLookup =
  | { kind: 'found'; chargeId: string; status: 'succeeded' | 'declined' }
  | { kind: 'none' }
  | { kind: 'unknown'; reason: string };

// What a lookup that answered says of the charge, in the terms a settlement takes.
export function chargeOutcomeOf(
  lookup: Exclude<ChargeLookup, { kind: 'unknown' }>,
): Exclude<ChargeOutcome, { kind: 'unknown' | 'refused' }> {
  if (lookup.kind === 'none') return { kind: 'not-charged', reason: 'no charge at the PSP' };
  return lookup.status === 'succeeded'
    ? { kind: 'succeeded', chargeId: lookup.chargeId }
    : { kind: 'declined', chargeId: lookup.chargeId, reason: 'card_declined' };
}

export type RefundOutcome =
  | { kind: 'refunded'; refundId: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'unknown'; reason: string };

export interface PspGateway {
  charge(request: PspChargeRequest): Promise<ChargeOutcome>;
  findCharge(key: string): Promise<ChargeLookup>;
  refund(request: { key: string; chargeId: string; amountMinor: number }): Promise<RefundOutcome>;
}
