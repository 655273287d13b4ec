import { AUCTION_LIMITS, MAX_SAFE_MINOR_UNITS } from '@suite/contracts';
import { IsRfc3339DateTime } from '@suite/service-kit';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class CreateAuctionRequest {
  @IsString()
  @Length(1, AUCTION_LIMITS.maxTitleLength)
  title!: string;

  // Minor units. Below it the auction closes without a winner.
  @IsInt()
  @Min(0)
  @Max(MAX_SAFE_MINOR_UNITS)
  reservePrice!: number;

  // Minor units: each bid must beat the current high by at least this much.
  @IsInt()
  @Min(1)
  @Max(AUCTION_LIMITS.maxBidIncrement)
  bidIncrement!: number;

  // RFC 3339, parsed once here. Default: now.
  @IsOptional()
  @IsRfc3339DateTime()
  startsAt?: Date;

  @IsRfc3339DateTime()
  endsAt!: Date;

  // A bid this close to the end moves the end to the bid's time plus this. 0 or absent: off.
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(AUCTION_LIMITS.maxExtensionWindowMs)
  extensionWindowMs?: number;
}
