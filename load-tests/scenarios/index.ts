// Every scenario `npm run load` knows, by name.
import browse from './browse';
import flashSale from './flash-sale';
import rateLimitAbuse from './rate-limit-abuse';
import type { Scenario } from '../src/load/scenario';

export const SCENARIOS: Record<string, Scenario<unknown>> = {
  'flash-sale': flashSale,
  'rate-limit-abuse': rateLimitAbuse,
  browse: browse,
};
