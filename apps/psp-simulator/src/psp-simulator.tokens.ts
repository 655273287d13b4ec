// Injection tokens of the service: its config, and the database ports its repositories run on
// (declared by the kit's PostgresPersistenceModule, which provides them).
export const PSP_SIMULATOR_CONFIG = Symbol('PSP_SIMULATOR_CONFIG');
export { AUTOCOMMIT, TRANSACTIONS } from '@suite/service-kit';
