import { MAX_SAFE_MINOR_UNITS } from '@suite/contracts';
import { IsInt, Max, Min } from 'class-validator';

export class PlaceBidRequest {
  // Minor units.
  @IsInt()
  @Min(1)
  @Max(MAX_SAFE_MINOR_UNITS)
  amount!: number;
}
