import { IsInt, Max, Min } from 'class-validator';

export class PlaceBidRequest {
  // Minor units.
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount!: number;
}
