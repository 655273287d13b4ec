import { PAYMENT_COMMAND_TYPES } from '@suite/contracts';
import { poolTransactionRunner, startSagaParticipant } from '@suite/coordination';
import type { Consumer } from 'kafkajs';
import type { TicketingTestApp } from './ticketing-test-app';

// The payment source the stand-in declines; any other is captured.
export const DECLINED_SOURCE = 'tok_declined';

// A stand-in for apps/payments in ticketing's own tests: it consumes the saga's payment
// commands through the inbox and replies through the outbox, which ticketing's relay
// publishes. Like apps/payments, its replies wake that relay. Disconnect it before closing
// the app.
export async function startPaymentsStandIn(
  t: TicketingTestApp,
  onRefund: (sagaId: string) => void = () => undefined,
): Promise<Consumer> {
  if (!t.kafka) throw new Error('the payments stand-in needs the test app started with Kafka');
  return startSagaParticipant({
    kafka: t.kafka,
    groupId: `${t.config.KAFKA_CLIENT_ID}-payments`,
    topic: t.config.PAYMENTS_COMMANDS_TOPIC,
    tx: poolTransactionRunner(t.database.pool),
    inboxConsumer: 'payments-stand-in',
    outbox: { wakeup: true },
    handlers: {
      [PAYMENT_COMMAND_TYPES.capture]: async (_tx, command) =>
        command.payload['sourceToken'] === DECLINED_SOURCE
          ? { outcome: 'failed', retriable: false, reason: 'card declined' }
          : { outcome: 'succeeded', data: { paymentId: `pay-${command.sagaId}` } },
      [PAYMENT_COMMAND_TYPES.refund]: async (_tx, command) => {
        onRefund(command.sagaId);
        return { outcome: 'succeeded' };
      },
    },
  });
}
