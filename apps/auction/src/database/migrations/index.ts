import { CoordinationTables1761000001000 } from './1761000001000-coordination-tables';
import { AuctionsAndBids1761000002000 } from './1761000002000-auctions-and-bids';

export const AUCTION_MIGRATIONS = [CoordinationTables1761000001000, AuctionsAndBids1761000002000];
