import {
  startSagaParticipant,
  type OutboxWriteOptions,
  type TransactionRunner,
} from '@suite/coordination';
import type { Consumer, Kafka } from 'kafkajs';
import {
  ticketingStepHandlers,
  type TicketingStepDeps,
} from '../checkout/saga-steps/ticketing-steps.handlers';
import type { ConsumerCallbacks } from './ticketing.workers';

export interface CheckoutStepsConsumerOptions extends ConsumerCallbacks {
  clientId: string;
  topic: string;
  sessionTimeoutMs: number;
  concurrency: number;
  outbox: OutboxWriteOptions;
}

// The inbox name under which ticketing's steps are recorded, by this consumer and by the
// orchestrator when it runs them in-process (SAGA_LOCAL_STEPS): one name, so a step runs once.
export const TICKETING_COMMANDS_INBOX = 'ticketing-commands';

// Runs ticketing's own steps of the checkout saga (and their compensations) as the saga's
// commands arrive.
export class CheckoutStepsConsumer {
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly tx: TransactionRunner,
    private readonly steps: Omit<TicketingStepDeps, 'outbox'>,
    private readonly options: CheckoutStepsConsumerOptions,
  ) {}

  async start(): Promise<void> {
    this.consumer = await startSagaParticipant({
      kafka: this.kafka,
      groupId: `${this.options.clientId}-commands`,
      topic: this.options.topic,
      tx: this.tx,
      inboxConsumer: TICKETING_COMMANDS_INBOX,
      sessionTimeout: this.options.sessionTimeoutMs,
      partitionsConsumedConcurrently: this.options.concurrency,
      // Replies wake the relay: the orchestrator's next step waits on each of them.
      outbox: this.options.outbox,
      handlers: ticketingStepHandlers({ ...this.steps, outbox: this.options.outbox }),
      onMalformed: this.options.onMalformed,
      onRestart: this.options.onRestart,
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
