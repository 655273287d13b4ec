// Injection tokens of the service: its config and the database ports its repository runs on.
export const AUCTION_CONFIG = Symbol('AUCTION_CONFIG');
// TransactionRunner over the DataSource: one transaction per unit of work.
export const TRANSACTIONS = Symbol('TRANSACTIONS');
// SqlExecutor for single autocommit statements.
export const AUTOCOMMIT = Symbol('AUTOCOMMIT');
