// Injection tokens of the service's infrastructure.
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const REDIS = Symbol('REDIS');
// TransactionRunner over the DataSource.
export const TRANSACTIONS = Symbol('TRANSACTIONS');
// SqlExecutor for single autocommit statements.
export const AUTOCOMMIT = Symbol('AUTOCOMMIT');
export const FENCED_HOLDS = Symbol('FENCED_HOLDS');
export const CLOCK = Symbol('CLOCK');
