import { coordinationTablesMigration } from '@suite/service-kit';

// Fences and the epoch sequence (the closer's fenced close and its lease tokens) and the
// outbox (AuctionClosed).
export const CoordinationTables1761000001000 = coordinationTablesMigration(1761000001000, [
  'fencing',
  'outbox',
]);
