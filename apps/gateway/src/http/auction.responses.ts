import { ApiProperty } from '@nestjs/swagger';

// What the auction service answers on its public routes, relayed unchanged: for the OpenAPI
// document.

export class HighBidResponse {
  @ApiProperty({ type: 'integer', example: 12500 }) amount!: number;
  @ApiProperty() bidderId!: string;
}

export class AuctionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() sellerId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: 'integer', example: 100 }) bidIncrement!: number;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time', description: 'Current end, after any extension' })
  endsAt!: string;
  @ApiProperty({ format: 'date-time' }) scheduledEndsAt!: string;
  @ApiProperty({ type: 'integer', example: 0 }) extensionWindowMs!: number;
  @ApiProperty({ enum: ['scheduled', 'open', 'ended', 'closed'] }) phase!: string;
  @ApiProperty({ type: HighBidResponse, nullable: true }) highBid!: HighBidResponse | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Null once the auction has ended',
  })
  minimumBid!: number | null;
  @ApiProperty({ type: 'integer', example: 3 }) bidCount!: number;
  @ApiProperty({ description: 'The reserve itself stays private' }) reserveMet!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: HighBidResponse, nullable: true }) winner!: HighBidResponse | null;
}

export class AuctionListResponse {
  @ApiProperty({ type: [AuctionResponse] }) auctions!: AuctionResponse[];
}

export class BidResponse {
  @ApiProperty({
    type: 'integer',
    example: 4,
    description: "Position in the auction's acceptance order",
  })
  seq!: number;
  @ApiProperty() bidderId!: string;
  @ApiProperty({ type: 'integer', example: 12600 }) amount!: number;
  @ApiProperty({ format: 'date-time' }) placedAt!: string;
}

export class BidAcceptedResponse {
  @ApiProperty({ enum: ['accepted'] }) outcome!: string;
  @ApiProperty({ type: BidResponse }) bid!: BidResponse;
  @ApiProperty({ type: 'integer', nullable: true, example: 12700 }) minimumBid!: number | null;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'Moved by a late bid',
  })
  endsAt!: string | null;
}

// Every refusal carries what a client needs to bid again without another read.
// The suite's error body, with one message.
export class BidRejectedResponse {
  @ApiProperty({ type: 'integer', example: 409 }) statusCode!: number;
  @ApiProperty({ example: 'Conflict' }) error!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ enum: ['rejected'] }) outcome!: string;
  @ApiProperty({ enum: ['too-low', 'closed', 'not-open', 'seller-cannot-bid', 'not-found'] })
  reason!: string;
  @ApiProperty({ type: 'integer', nullable: true }) highBid!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) minimumBid!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endsAt!: string | null;
}

export class BidHistoryResponse {
  @ApiProperty({ format: 'uuid' }) auctionId!: string;
  @ApiProperty({ type: [BidResponse] }) bids!: BidResponse[];
}
