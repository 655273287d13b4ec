// Injection tokens of the service: its config, and the database ports its repository runs on
// (declared by the kit's PostgresPersistenceModule, which provides them).
export const CRAWLER_CONFIG = Symbol('CRAWLER_CONFIG');
export { AUTOCOMMIT, TRANSACTIONS } from '@suite/service-kit';
