// Invariant verifiers: each reads one service's database after a run (tests, the demo, a
// chaos run, an operator) and counts what must never happen. They know the services'
// schemas on purpose, and share no code with the services, so that a bug in a service
// cannot hide itself from its own check. The last two read what the outside world sees:
// the events on Kafka, and the money at the card processor traced to orders and tickets.
export { verifyAuctionInvariants, type AuctionInvariantReport } from './auction';
export {
  verifySchedulerInvariants,
  type SchedulerInvariantOptions,
  type SchedulerInvariantReport,
} from './scheduler';
export { verifyPaymentInvariants, type PaymentInvariantReport } from './payments';
export {
  countSeatsHeldTwice,
  verifyTicketingInvariants,
  type TicketingViolations,
} from './ticketing';
export {
  OUTBOX_SERVICES,
  verifyEventsOnKafka,
  type EventsOnKafkaOptions,
  type EventsOnKafkaReport,
  type OutboxCounts,
  type OutboxService,
  type TopicCounts,
} from './events-on-kafka';
export { KafkaSnapshotIncomplete, readKafkaSnapshot, type KafkaRecord } from './kafka-snapshot';
export { verifyMoneyTrail, type MoneyTrailOptions, type MoneyTrailReport } from './money-trail';
