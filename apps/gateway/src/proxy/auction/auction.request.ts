import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUCTION_LIMITS, MAX_SAFE_MINOR_UNITS } from '@suite/contracts';

const DATE_TIME = 'RFC 3339 with seconds and an offset, e.g. 2030-01-01T10:00:00Z';

// The request bodies of the auction routes, for the OpenAPI document. The auction service
// validates bodies itself (400 with the broken field); amounts are integers in minor units.

export class CreateAuctionRequest {
  @ApiProperty({
    minLength: 1,
    maxLength: AUCTION_LIMITS.maxTitleLength,
    example: 'Signed first edition',
  })
  title!: string;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_SAFE_MINOR_UNITS,
    description: 'Minor units; below it nobody wins',
    example: 10000,
  })
  reservePrice!: number;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: AUCTION_LIMITS.maxBidIncrement,
    description: 'Each bid must beat the high bid by this',
    example: 100,
  })
  bidIncrement!: number;
  @ApiPropertyOptional({ format: 'date-time', description: `${DATE_TIME}. Absent: now` })
  startsAt?: string;
  @ApiProperty({ format: 'date-time', description: DATE_TIME })
  endsAt!: string;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: AUCTION_LIMITS.maxExtensionWindowMs,
    description: 'A bid this close to the end moves the end to the bid time plus this; 0: off',
  })
  extensionWindowMs?: number;
}

export class PlaceBidRequest {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_SAFE_MINOR_UNITS,
    description: 'Minor units',
    example: 12600,
  })
  amount!: number;
}
