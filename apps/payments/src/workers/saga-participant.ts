import { Logger } from '@nestjs/common';
import { startSagaParticipant, type TransactionRunner } from '@suite/coordination';
import type { Consumer, Kafka } from 'kafkajs';
import type { PaymentsConfig } from '../config/payments.config';
import type { CreatePaymentUseCase } from '../payments/create-payment/create-payment.use-case';
import type { RefundPaymentUseCase } from '../payments/refund-payment/refund-payment.use-case';
import { paymentsCommandHandlers } from '../payments/saga-commands/payments-command.handlers';
import type { SettleBeforeRefund } from '../payments/saga-commands/settle-before-refund';
import type { Worker } from './worker';

export const PAYMENTS_INBOX_CONSUMER = 'payments-commands';

// Consumes the checkout saga's commands through the inbox and answers each with a reply
// in the outbox.
export class PaymentsSagaParticipant implements Worker {
  private readonly logger = new Logger(PaymentsSagaParticipant.name);
  private consumer: Consumer | undefined;

  constructor(
    private readonly config: PaymentsConfig,
    private readonly transactions: TransactionRunner,
    private readonly kafka: Kafka,
    private readonly useCases: {
      capture: CreatePaymentUseCase;
      refund: RefundPaymentUseCase;
      settleBeforeRefund: SettleBeforeRefund;
    },
  ) {}

  async start(): Promise<void> {
    this.consumer = await startSagaParticipant({
      kafka: this.kafka,
      groupId: this.config.KAFKA_CLIENT_ID,
      topic: this.config.PAYMENTS_COMMANDS_TOPIC,
      tx: this.transactions,
      inboxConsumer: PAYMENTS_INBOX_CONSUMER,
      sessionTimeout: this.config.KAFKA_SESSION_TIMEOUT_MS,
      partitionsConsumedConcurrently: this.config.SAGA_CONSUMER_CONCURRENCY,
      // Replies wake the relay too: each saga step waits on one of them.
      outbox: { wakeup: this.config.OUTBOX_WAKEUPS === 'on' },
      handlers: paymentsCommandHandlers(this.useCases),
      onMalformed: (error) => this.logger.warn(`skipped a malformed command: ${error.message}`),
      onRestart: (error, inMs) =>
        this.logger.error(`Kafka consumer crashed (${error.message}); rejoining in ${inMs} ms`),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
