import { CoordinationTables1761000001000 } from './1761000001000-coordination-tables';
import { TicketingSchema1761000002000 } from './1761000002000-ticketing-schema';
import { SeedFlashSale1761000003000 } from './1761000003000-seed-flash-sale';
import { SagaQuarantine1761000004000 } from './1761000004000-saga-quarantine';
import { HoldsByUserEvent1761000005000 } from './1761000005000-holds-by-user-event';
import { CheckoutInFewerRoundTrips1761000006000 } from './1761000006000-checkout-in-fewer-round-trips';

export const TICKETING_MIGRATIONS = [
  CoordinationTables1761000001000,
  TicketingSchema1761000002000,
  SeedFlashSale1761000003000,
  SagaQuarantine1761000004000,
  HoldsByUserEvent1761000005000,
  CheckoutInFewerRoundTrips1761000006000,
];
export { SEED_EVENT_ID, SEED_SEAT_COUNT, SEED_VENUE_ID } from './1761000003000-seed-flash-sale';
