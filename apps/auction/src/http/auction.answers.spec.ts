import type { BidRejection } from '../auctions/domain/auction';
import { HTTP_ANSWERS } from './auction.answers';
import { answerOf } from '@suite/service-kit';

const END = Date.parse('2026-12-01T12:00:00.000Z');

describe('the answers to a bid', () => {
  it.each<[BidRejection, number, string, string]>([
    ['not-found', 404, 'auction_not_found', 'auction does not exist'],
    ['seller-cannot-bid', 403, 'seller_cannot_bid', 'the seller cannot bid on their own auction'],
    ['closed', 409, 'auction_closed', 'the auction has ended'],
    ['not-open', 409, 'auction_not_open', 'the auction has not started yet'],
    ['too-low', 409, 'bid_too_low', 'bid too low: the minimum bid is now 70'],
  ])(
    'a bid refused as %s answers %i with its error code and where the auction stands',
    (reason, status, error, message) => {
      const answer = answerOf(HTTP_ANSWERS.placeBid, {
        kind: 'rejected',
        reason,
        highAmount: 60,
        minimumBid: 70,
        endsAt: END,
      });
      expect(answer).toEqual({
        status,
        body: {
          statusCode: status,
          error,
          message,
          outcome: 'rejected',
          reason,
          highBid: 60,
          minimumBid: 70,
          endsAt: '2026-12-01T12:00:00.000Z',
        },
      });
    },
  );

  it('an accepted bid answers 201 with the bid, the next minimum and the end, in RFC 3339', () => {
    const answer = answerOf(HTTP_ANSWERS.placeBid, {
      kind: 'accepted',
      seq: 3,
      placedAt: END - 1_000,
      highAmount: 60,
      minimumBid: 70,
      endsAt: END,
      bidderId: 'b1',
      amount: 60,
    });
    expect(answer).toEqual({
      status: 201,
      body: {
        outcome: 'accepted',
        bid: { seq: 3, bidderId: 'b1', amount: 60, placedAt: '2026-12-01T11:59:59.000Z' },
        minimumBid: 70,
        endsAt: '2026-12-01T12:00:00.000Z',
      },
    });
  });
});

describe('the answers to an unknown auction', () => {
  const notFound = {
    status: 404,
    body: { statusCode: 404, error: 'Not Found', message: 'auction a1 does not exist' },
  };

  it('reading it answers 404 naming it', () => {
    expect(answerOf(HTTP_ANSWERS.getAuction, { kind: 'not-found', auctionId: 'a1' })).toEqual(
      notFound,
    );
  });

  it('listing its bids answers 404 naming it', () => {
    expect(answerOf(HTTP_ANSWERS.listBids, { kind: 'not-found', auctionId: 'a1' })).toEqual(
      notFound,
    );
  });
});

describe('the answer to an invalid auction', () => {
  it('answers 422 with the sentence that names the problem', () => {
    expect(
      answerOf(HTTP_ANSWERS.createAuction, { kind: 'invalid', problem: 'ends-before-start' }),
    ).toEqual({
      status: 422,
      body: { statusCode: 422, error: 'invalid_auction', message: 'endsAt must be after startsAt' },
    });
  });
});
