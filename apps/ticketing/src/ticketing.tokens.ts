// Injection tokens of the service: its config, its connections and the ports built on them.
export const TICKETING_CONFIG = Symbol('TICKETING_CONFIG');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const REDIS = Symbol('REDIS');
// TransactionRunner over the DataSource.
export const TRANSACTIONS = Symbol('TRANSACTIONS');
// SqlExecutor for single autocommit statements.
export const AUTOCOMMIT = Symbol('AUTOCOMMIT');
export const FENCED_HOLDS = Symbol('FENCED_HOLDS');
export const CLOCK = Symbol('CLOCK');
// The SagaOrchestrator that runs checkouts.
export const ORCHESTRATOR = Symbol('ORCHESTRATOR');
