import { Injectable } from '@nestjs/common';
import {
  validateNewAuction,
  type AuctionState,
  type NewAuction,
  type NewAuctionProblem,
} from '../domain/auction';
import { AuctionsRepository } from '../infra/auctions.repository';

export type CreateAuctionOutcome =
  | { kind: 'created'; auction: AuctionState }
  | { kind: 'invalid'; problem: NewAuctionProblem };

@Injectable()
export class CreateAuctionUseCase {
  constructor(private readonly auctions: AuctionsRepository) {}

  async execute(auction: NewAuction, now = Date.now()): Promise<CreateAuctionOutcome> {
    const problem = validateNewAuction(auction, now);
    if (problem) return { kind: 'invalid', problem };
    return { kind: 'created', auction: await this.auctions.create(auction) };
  }
}
