import { CoordinationTables1765000001000 } from './1765000001000-coordination-tables';
import { JobsFiresAndSink1765000002000 } from './1765000002000-jobs-fires-and-sink';

export const SCHEDULER_MIGRATIONS = [
  CoordinationTables1765000001000,
  JobsFiresAndSink1765000002000,
];
