import { AUCTION_LIMITS } from '@suite/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ListBidsRequest {
  // Bids after this sequence number (paging); default from the first. `seq` is an int4
  // column, so a larger value could never match and Postgres would refuse it.
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(AUCTION_LIMITS.maxAfterSeq)
  afterSeq?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUCTION_LIMITS.maxBidPage)
  limit?: number;
}
