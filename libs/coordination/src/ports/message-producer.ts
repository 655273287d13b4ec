// What the outbox relay and the mechanisms need from a broker client. A kafkajs
// Producer fits behind a few lines of adapter; tests use an in-memory fake.
export interface OutgoingMessage {
  // Partition key: messages with the same key keep their order (e.g. one aggregate id).
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface MessageProducer {
  // Resolves once the broker has acknowledged every message; rejects otherwise, in
  // which case any of them may or may not have been written (consumers dedupe).
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
}
