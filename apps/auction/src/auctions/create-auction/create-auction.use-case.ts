import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import { AUTOCOMMIT } from '../../auction.tokens';
import { validateNewAuction, type NewAuction, type NewAuctionProblem } from '../domain/auction';
import { toAuctionView, type AuctionView } from '../domain/auction.view';
import { AuctionsRepository } from '../infra/auctions.repository';

export type CreateAuctionOutcome =
  | { kind: 'created'; auction: AuctionView }
  | { kind: 'invalid'; problem: NewAuctionProblem };

@Injectable()
export class CreateAuctionUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly auctions: AuctionsRepository,
  ) {}

  // The new auction as seen at `now`, the instant its times were checked against.
  async execute(auction: NewAuction, now = Date.now()): Promise<CreateAuctionOutcome> {
    const problem = validateNewAuction(auction, now);
    if (problem) return { kind: 'invalid', problem };
    return {
      kind: 'created',
      auction: toAuctionView(await this.auctions.insert(this.sql, auction), now),
    };
  }
}
