import { coordinationTablesMigration } from '@suite/service-kit';

// Fences and the epoch sequence: the partition claims' tokens and the frontier's fence.
export const CoordinationTables1762000001000 = coordinationTablesMigration(1762000001000, [
  'fencing',
]);
