import { IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class CreateAuctionRequest {
  @IsString()
  @Length(1, 200)
  title!: string;

  // Minor units. Below it the auction closes without a winner.
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  reservePrice!: number;

  // Minor units: each bid must beat the current high by at least this much.
  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000)
  bidIncrement!: number;

  // Default: now.
  @IsOptional()
  @IsISO8601({ strict: true })
  startsAt?: string;

  @IsISO8601({ strict: true })
  endsAt!: string;

  // A bid this close to the end moves the end to the bid's time plus this. 0 or absent: off.
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  extensionWindowMs?: number;
}
