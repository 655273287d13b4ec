import { coordinationTablesMigration } from '@suite/service-kit';

// Idempotency keys and the inbox (suppression) and the outbox (payment events and saga
// replies).
export const CoordinationTables1760000001000 = coordinationTablesMigration(1760000001000, [
  'suppression',
  'outbox',
]);
