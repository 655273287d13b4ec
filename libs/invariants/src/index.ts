// Invariant verifiers: each reads one service's database after a run (tests, the demo, a
// chaos run, an operator) and counts what must never happen. They know the services'
// schemas on purpose, and share no code with the services, so that a bug in a service
// cannot hide itself from its own check.
export { verifyAuctionInvariants, type AuctionInvariantReport } from './auction';
export { verifyPaymentInvariants, type PaymentInvariantReport } from './payments';
export { verifyTicketingInvariants, type TicketingViolations } from './ticketing';
