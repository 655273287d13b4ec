import { coordinationTablesMigration } from '@suite/service-kit';

// Fences and the epoch sequence: each partition's fence, checked by every fire write.
export const CoordinationTables1765000001000 = coordinationTablesMigration(1765000001000, [
  'fencing',
]);
