import type { AnswersTo, HttpAnswer } from '@suite/service-kit';
import type { CreateAuctionOutcome } from '../auctions/create-auction/create-auction.use-case';
import type { BidRejection, NewAuctionProblem } from '../auctions/domain/auction';
import type { GetAuctionOutcome } from '../auctions/get-auction/get-auction.use-case';
import type { ListBidsOutcome } from '../auctions/list-bids/list-bids.use-case';
import type { PlaceBidOutcome } from '../auctions/place-bid/place-bid.use-case';

// The error shape every service answers ({ statusCode, error, message }), plus details.
const refusal = (
  status: number,
  error: string,
  message: string,
  details: Record<string, unknown> = {},
): HttpAnswer => ({ status, body: { statusCode: status, error, message, ...details } });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const INVALID_AUCTION: Record<NewAuctionProblem, string> = {
  'ends-before-start': 'endsAt must be after startsAt',
  'ends-in-the-past': 'endsAt must be in the future',
  'increment-not-positive': 'bidIncrement must be positive',
  'reserve-negative': 'reservePrice must not be negative',
  'window-too-long': 'extensionWindowMs must be at most one day',
};

// Each refused bid: its status, its error code, and the sentence the client reads.
const BID_REFUSALS: Record<
  BidRejection,
  { status: number; error: string; message: (minimum: number | null) => string }
> = {
  'not-found': { status: 404, error: 'auction_not_found', message: () => 'auction does not exist' },
  'seller-cannot-bid': {
    status: 403,
    error: 'seller_cannot_bid',
    message: () => 'the seller cannot bid on their own auction',
  },
  closed: { status: 409, error: 'auction_closed', message: () => 'the auction has ended' },
  'not-open': {
    status: 409,
    error: 'auction_not_open',
    message: () => 'the auction has not started yet',
  },
  'too-low': {
    status: 409,
    error: 'bid_too_low',
    message: (minimum) => `bid too low: the minimum bid is now ${minimum}`,
  },
};

const auctionNotFound = ({ auctionId }: { auctionId: string }) =>
  refusal(404, 'Not Found', `auction ${auctionId} does not exist`);

// Every outcome of every use case that has more than one, and the HTTP answer it gets.
// Controllers look their answers up here; they decide nothing themselves.
export const HTTP_ANSWERS: {
  readonly createAuction: AnswersTo<CreateAuctionOutcome>;
  readonly getAuction: AnswersTo<GetAuctionOutcome>;
  readonly listBids: AnswersTo<ListBidsOutcome>;
  readonly placeBid: AnswersTo<PlaceBidOutcome>;
} = {
  createAuction: {
    created: ({ auction }) => ({ status: 201, body: auction }),
    invalid: ({ problem }) => refusal(422, 'invalid_auction', INVALID_AUCTION[problem]),
  },
  getAuction: {
    found: ({ auction }) => ({ status: 200, body: auction }),
    'not-found': auctionNotFound,
  },
  listBids: {
    listed: ({ auctionId, bids }) => ({ status: 200, body: { auctionId, bids } }),
    'not-found': auctionNotFound,
  },
  placeBid: {
    accepted: (outcome) => ({
      status: 201,
      body: {
        outcome: 'accepted',
        bid: {
          seq: outcome.seq,
          bidderId: outcome.bidderId,
          amount: outcome.amount,
          placedAt: iso(outcome.placedAt),
        },
        minimumBid: outcome.minimumBid,
        endsAt: iso(outcome.endsAt),
      },
    }),
    // The refusal says where the auction stands, so the client can bid again.
    rejected: (outcome) => {
      const { status, error, message } = BID_REFUSALS[outcome.reason];
      return refusal(status, error, message(outcome.minimumBid), {
        outcome: 'rejected',
        reason: outcome.reason,
        highBid: outcome.highAmount,
        minimumBid: outcome.minimumBid,
        endsAt: iso(outcome.endsAt),
      });
    },
  },
};
