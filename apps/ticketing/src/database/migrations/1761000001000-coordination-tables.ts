import { coordinationTablesMigration } from '@suite/service-kit';

// Fencing epochs and fences (holds), idempotency keys and the inbox (checkouts, saga
// replies), the outbox and saga instances (the checkout saga).
export const CoordinationTables1761000001000 = coordinationTablesMigration(1761000001000, [
  'fencing',
  'suppression',
  'outbox',
  'saga',
]);
