// Injection tokens of the service: its config, and the database ports its repositories run on
// (declared by the kit's PostgresPersistenceModule, which provides them).
export const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');
export { AUTOCOMMIT, TRANSACTIONS } from '@suite/service-kit';
