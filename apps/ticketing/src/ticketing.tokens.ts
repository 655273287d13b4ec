// Injection tokens of the service: its config, its Redis connection, the ports built on
// them, and the database ports (declared by the kit's PostgresPersistenceModule, which
// provides them).
export const TICKETING_CONFIG = Symbol('TICKETING_CONFIG');
export const REDIS = Symbol('REDIS');
export { AUTOCOMMIT, TRANSACTIONS } from '@suite/service-kit';
export const FENCED_HOLDS = Symbol('FENCED_HOLDS');
export const CLOCK = Symbol('CLOCK');
// The SagaOrchestrator that runs checkouts.
export const ORCHESTRATOR = Symbol('ORCHESTRATOR');
