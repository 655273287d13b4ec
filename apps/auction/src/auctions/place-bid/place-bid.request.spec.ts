import { MAX_SAFE_MINOR_UNITS } from '@suite/contracts';
import { validShapeAgreement } from '@suite/service-kit';
import { isValidPlaceBidRequest, PlaceBidRequest } from './place-bid.request';

// isValidPlaceBidRequest lets the common bid skip the decorators (ValidShape). It must
// accept nothing they refuse, and what it accepts must become the same PlaceBidRequest.
const AMOUNTS: unknown[] = [
  1,
  2,
  1_000,
  MAX_SAFE_MINOR_UNITS,
  MAX_SAFE_MINOR_UNITS + 1,
  Number.MAX_VALUE,
  0,
  -0,
  -1,
  1.5,
  0.5,
  1e-9,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '1',
  '',
  true,
  null,
  [1],
  { value: 1 },
];
const EXTRAS: Record<string, unknown>[] = [{}, { extra: 1 }, { bidderId: 'someone-else' }];

function* bodies(): Generator<Record<string, unknown>> {
  for (const amount of [...AMOUNTS, undefined])
    for (const extra of EXTRAS) {
      const body: Record<string, unknown> = { ...extra };
      if (amount !== undefined) body['amount'] = amount;
      yield body;
    }
}

describe('isValidPlaceBidRequest', () => {
  it('accepts only bodies the decorators accept, and they become the same PlaceBidRequest', async () => {
    const agreement = await validShapeAgreement(PlaceBidRequest, isValidPlaceBidRequest, bodies());
    expect(agreement.disagreements).toEqual([]);
    // 1, 2, 1000 and the largest safe amount, with no other field.
    expect(agreement.accepted).toBe(4);
    expect(agreement.refusedByBoth).toBeGreaterThan(0);
  });

  it('recognises the bid every bidder sends', () => {
    expect(isValidPlaceBidRequest({ amount: 2_500 })).toBe(true);
  });
});
