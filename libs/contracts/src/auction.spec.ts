import { AUCTION_EVENT_TYPES } from './auction';
import { TOPICS } from './topics';

describe('auction message types', () => {
  it('names the close event the way consumers match it', () => {
    expect(AUCTION_EVENT_TYPES).toEqual({ closed: 'AuctionClosed' });
  });

  it('publishes on the auction events topic', () => {
    expect(TOPICS.auctionEvents).toBe('auction.events');
  });
});
