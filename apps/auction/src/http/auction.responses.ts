import { ApiProperty } from '@nestjs/swagger';

// What auction's routes answer, for its OpenAPI document: AuctionView, BidView, and a bid's
// acceptance or refusal. A field added to a view belongs here too, or the fuzz stage's
// response_schema_conformance reports it.

export class HighBidResponse {
  @ApiProperty({ type: 'integer' }) amount!: number;
  @ApiProperty() bidderId!: string;
}

export class WinnerResponse {
  @ApiProperty() bidderId!: string;
  @ApiProperty({ type: 'integer' }) amount!: number;
}

export class AuctionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() sellerId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: 'integer' }) bidIncrement!: number;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time', description: 'Moves later when a late bid extends it' })
  endsAt!: string;
  @ApiProperty({ format: 'date-time' }) scheduledEndsAt!: string;
  @ApiProperty({ type: 'integer' }) extensionWindowMs!: number;
  @ApiProperty({ enum: ['scheduled', 'open', 'ended', 'closed'] }) phase!: string;
  @ApiProperty({ type: HighBidResponse, nullable: true }) highBid!: HighBidResponse | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Null once bidding has ended' })
  minimumBid!: number | null;
  @ApiProperty({ type: 'integer' }) bidCount!: number;
  @ApiProperty({ description: 'The reserve itself stays private' }) reserveMet!: boolean;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: WinnerResponse, nullable: true }) winner!: WinnerResponse | null;
}

export class AuctionListResponse {
  @ApiProperty({ type: [AuctionResponse] }) auctions!: AuctionResponse[];
}

export class BidResponse {
  @ApiProperty({ type: 'integer', description: 'Order of acceptance, from 1' }) seq!: number;
  @ApiProperty() bidderId!: string;
  @ApiProperty({ type: 'integer' }) amount!: number;
  @ApiProperty({ format: 'date-time' }) placedAt!: string;
}

export class BidListResponse {
  @ApiProperty({ format: 'uuid' }) auctionId!: string;
  @ApiProperty({ type: [BidResponse] }) bids!: BidResponse[];
}

export class BidAcceptedResponse {
  @ApiProperty({ enum: ['accepted'] }) outcome!: string;
  @ApiProperty({ type: BidResponse }) bid!: BidResponse;
  @ApiProperty({ type: 'integer', nullable: true }) minimumBid!: number | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) endsAt!: string | null;
}

// The error body of a refused bid, with where the auction stands.
export class BidRejectedResponse {
  @ApiProperty({ type: 'integer' }) statusCode!: number;
  @ApiProperty() error!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ enum: ['rejected'] }) outcome!: string;
  @ApiProperty({ enum: ['not-found', 'seller-cannot-bid', 'closed', 'not-open', 'too-low'] })
  reason!: string;
  @ApiProperty({ type: 'integer', nullable: true }) highBid!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) minimumBid!: number | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) endsAt!: string | null;
}
