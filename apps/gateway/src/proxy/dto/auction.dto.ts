import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUCTION_LIMITS, MAX_SAFE_MINOR_UNITS } from '@suite/contracts';
import { ErrorResponse } from './error.response';

const DATE_TIME = 'RFC 3339 with seconds and an offset, e.g. 2030-01-01T10:00:00Z';

// The public shapes of the auction routes, for the OpenAPI document. The auction service
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

export class HighBidResponse {
  @ApiProperty({ example: 12500 }) amount!: number;
  @ApiProperty() bidderId!: string;
}

export class AuctionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() sellerId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 100 }) bidIncrement!: number;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time', description: 'Current end, after any extension' })
  endsAt!: string;
  @ApiProperty({ format: 'date-time' }) scheduledEndsAt!: string;
  @ApiProperty({ example: 0 }) extensionWindowMs!: number;
  @ApiProperty({ enum: ['scheduled', 'open', 'ended', 'closed'] }) phase!: string;
  @ApiProperty({ type: HighBidResponse, nullable: true }) highBid!: HighBidResponse | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Null once the auction has ended' })
  minimumBid!: number | null;
  @ApiProperty({ example: 3 }) bidCount!: number;
  @ApiProperty({ description: 'The reserve itself stays private' }) reserveMet!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: HighBidResponse, nullable: true }) winner!: HighBidResponse | null;
}

export class AuctionListResponse {
  @ApiProperty({ type: [AuctionResponse] }) auctions!: AuctionResponse[];
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

export class BidResponse {
  @ApiProperty({ example: 4, description: "Position in the auction's acceptance order" })
  seq!: number;
  @ApiProperty() bidderId!: string;
  @ApiProperty({ example: 12600 }) amount!: number;
  @ApiProperty({ format: 'date-time' }) placedAt!: string;
}

export class BidAcceptedResponse {
  @ApiProperty({ enum: ['accepted'] }) outcome!: string;
  @ApiProperty({ type: BidResponse }) bid!: BidResponse;
  @ApiProperty({ example: 12700 }) minimumBid!: number;
  @ApiProperty({ format: 'date-time', description: 'Moved by a late bid' }) endsAt!: string;
}

// Every refusal carries what a client needs to bid again without another read.
export class BidRejectedResponse extends ErrorResponse {
  @ApiProperty({ enum: ['rejected'] }) outcome!: string;
  @ApiProperty({ enum: ['too-low', 'closed', 'not-open', 'seller-cannot-bid', 'not-found'] })
  reason!: string;
  @ApiProperty({ type: Number, nullable: true }) highBid!: number | null;
  @ApiProperty({ type: Number, nullable: true }) minimumBid!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endsAt!: string | null;
}

export class BidHistoryResponse {
  @ApiProperty({ format: 'uuid' }) auctionId!: string;
  @ApiProperty({ type: [BidResponse] }) bids!: BidResponse[];
}
