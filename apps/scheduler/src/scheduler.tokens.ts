// Injection tokens of the service: its config and the database ports its repositories run on.
export const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');
// TransactionRunner over the DataSource: one transaction per unit of work.
export const TRANSACTIONS = Symbol('TRANSACTIONS');
// SqlExecutor for single autocommit statements.
export const AUTOCOMMIT = Symbol('AUTOCOMMIT');
