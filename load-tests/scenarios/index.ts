// Every scenario `npm run load` knows, by name.
import auctionClose from './auction-close';
import browse from './browse';
import checkoutStorm from './checkout-storm';
import flashSale from './flash-sale';
import mixed from './mixed';
import rateLimitAbuse from './rate-limit-abuse';
import soak from './soak';
import type { Scenario } from '../src/load/scenario';

export const SCENARIOS: Record<string, Scenario<unknown>> = {
  'flash-sale': flashSale,
  'rate-limit-abuse': rateLimitAbuse,
  browse: browse,
  'checkout-storm': checkoutStorm,
  'auction-close': auctionClose,
  mixed,
  soak,
};
