// Kafka topic names, spelled `<owning service>.<kind>`:
//   events    facts the owner publishes (through its outbox) for anyone to consume
//   commands  requests addressed to the owner
//   replies   the owner's answers to commands, correlated by id
export const TOPIC_KINDS = ['events', 'commands', 'replies'] as const;

export type TopicKind = (typeof TOPIC_KINDS)[number];

export const TOPICS = {
  ticketingEvents: 'ticketing.events',
  ticketingCommands: 'ticketing.commands',
  ticketingReplies: 'ticketing.replies',
  paymentsCommands: 'payments.commands',
  paymentsReplies: 'payments.replies',
  paymentsEvents: 'payments.events',
  auctionEvents: 'auction.events',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];
