import { AUCTION_LIMITS } from '@suite/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export class ListAuctionsRequest {
  @IsOptional()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUCTION_LIMITS.maxAuctionPage)
  limit?: number;
}
