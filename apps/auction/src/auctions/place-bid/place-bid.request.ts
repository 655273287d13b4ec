import { MAX_SAFE_MINOR_UNITS } from '@suite/contracts';
import { ValidShape } from '@suite/service-kit';
import { IsInt, Max, Min } from 'class-validator';

// The bid every bidder sends, recognised without running the decorators below (see
// ValidShape); a spec proves it accepts nothing they refuse. Anything else goes through
// them, so every 400 is worded by them.
export function isValidPlaceBidRequest(body: Record<string, unknown>): boolean {
  for (const name in body) if (name !== 'amount') return false;
  const { amount } = body;
  return (
    typeof amount === 'number' &&
    Number.isInteger(amount) &&
    amount >= 1 &&
    amount <= MAX_SAFE_MINOR_UNITS
  );
}

@ValidShape(isValidPlaceBidRequest)
export class PlaceBidRequest {
  // Minor units.
  @IsInt()
  @Min(1)
  @Max(MAX_SAFE_MINOR_UNITS)
  amount!: number;
}
