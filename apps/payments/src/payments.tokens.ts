// Injection tokens of the service: its config, the database ports its repositories run on,
// and the card processor.
export const PAYMENTS_CONFIG = Symbol('PAYMENTS_CONFIG');
// TransactionRunner over the DataSource: one transaction per unit of work.
export const TRANSACTIONS = Symbol('TRANSACTIONS');
// SqlExecutor for single autocommit statements (an idempotency key's claim, its release).
export const AUTOCOMMIT = Symbol('AUTOCOMMIT');
// PspGateway: the card processor, over HTTP (or its naive variant, PSP_CLIENT=naive).
export const PSP_GATEWAY = Symbol('PSP_GATEWAY');
