import {
  Column,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type ValueTransformer,
} from 'typeorm';

// pg returns bigint as a string; amounts and tokens stay far below 2^53.
const bigintAsNumber: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@Entity({ name: 'auctions' })
export class AuctionRecord {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { name: 'seller_id' }) sellerId!: string;
  @Column('text') title!: string;
  @Column('bigint', { name: 'reserve_price', transformer: bigintAsNumber }) reservePrice!: number;
  @Column('bigint', { name: 'bid_increment', transformer: bigintAsNumber }) bidIncrement!: number;
  @Column('timestamptz', { name: 'starts_at' }) startsAt!: Date;
  @Column('timestamptz', { name: 'ends_at' }) endsAt!: Date;
  @Column('timestamptz', { name: 'scheduled_ends_at' }) scheduledEndsAt!: Date;
  @Column('integer', { name: 'extension_window_ms' }) extensionWindowMs!: number;
  @Column('text') status!: 'open' | 'closed';
  @Column('bigint', { name: 'high_amount', nullable: true, transformer: bigintAsNumber })
  highAmount!: number | null;
  @Column('text', { name: 'high_bidder_id', nullable: true }) highBidderId!: string | null;
  @Column('integer', { name: 'bid_count' }) bidCount!: number;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column('text', { name: 'winner_id', nullable: true }) winnerId!: string | null;
  @Column('bigint', { name: 'winning_amount', nullable: true, transformer: bigintAsNumber })
  winningAmount!: number | null;
  @Column('bigint', { name: 'closer_token', nullable: true, transformer: bigintAsNumber })
  closerToken!: number | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

@Entity({ name: 'auction_bids' })
export class BidRecord {
  @PrimaryColumn('uuid', { name: 'auction_id' }) auctionId!: string;
  @PrimaryColumn('integer') seq!: number;
  @Column('text', { name: 'bidder_id' }) bidderId!: string;
  @Column('bigint', { transformer: bigintAsNumber }) amount!: number;
  @Column('timestamptz', { name: 'placed_at' }) placedAt!: Date;
}
