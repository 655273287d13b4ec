import {
  startSagaReplyConsumer,
  type SagaOrchestrator,
  type TransactionRunner,
} from '@suite/coordination';
import type { Consumer, Kafka } from 'kafkajs';
import type { ConsumerCallbacks } from './ticketing.workers';

export interface SagaReplyConsumerOptions extends ConsumerCallbacks {
  clientId: string;
  topic: string;
  sessionTimeoutMs: number;
  concurrency: number;
  repliesPerTransaction: number;
}

// Feeds the participants' replies to the checkout saga's orchestrator.
export class SagaReplyConsumer {
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly tx: TransactionRunner,
    private readonly orchestrator: SagaOrchestrator,
    private readonly options: SagaReplyConsumerOptions,
  ) {}

  async start(): Promise<void> {
    this.consumer = await startSagaReplyConsumer({
      kafka: this.kafka,
      groupId: `${this.options.clientId}-saga-replies`,
      topic: this.options.topic,
      tx: this.tx,
      inboxConsumer: 'ticketing-saga-replies',
      sessionTimeout: this.options.sessionTimeoutMs,
      partitionsConsumedConcurrently: this.options.concurrency,
      repliesPerTransaction: this.options.repliesPerTransaction,
      orchestrator: this.orchestrator,
      onMalformed: this.options.onMalformed,
      onRestart: this.options.onRestart,
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
