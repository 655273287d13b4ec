import { CoordinationTables1760000001000 } from './1760000001000-coordination-tables';
import { PaymentsAndLedger1760000002000 } from './1760000002000-payments-and-ledger';
import { ChargeAttemptsAndTombstones1760000003000 } from './1760000003000-charge-attempts-and-tombstones';
import { LateChargeWatches1760000004000 } from './1760000004000-late-charge-watches';

// Forward-only, in the order they run.
export const PAYMENTS_MIGRATIONS = [
  CoordinationTables1760000001000,
  PaymentsAndLedger1760000002000,
  ChargeAttemptsAndTombstones1760000003000,
  LateChargeWatches1760000004000,
];
