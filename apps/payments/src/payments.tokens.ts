// Injection tokens of the service: its config, the database ports its repositories run on
// (declared by the kit's PostgresPersistenceModule, which provides them), and the card
// processor.
export const PAYMENTS_CONFIG = Symbol('PAYMENTS_CONFIG');
export { AUTOCOMMIT, TRANSACTIONS } from '@suite/service-kit';
// PspGateway: the card processor, over HTTP (or its naive variant, PSP_CLIENT=naive).
export const PSP_GATEWAY = Symbol('PSP_GATEWAY');
