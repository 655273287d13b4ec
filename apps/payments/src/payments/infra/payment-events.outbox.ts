import { PAYMENT_EVENT_TYPES, type PaymentEvent, type PaymentEventType } from '@suite/contracts';
import { writeOutbox, type OutboxWriteOptions, type SqlExecutor } from '@suite/coordination';
import type { Payment } from '../domain/payment';

// Events leave through the outbox, in the transaction that changed the payment: an event
// exists exactly when its change committed. Keyed by payment id, so a payment's events
// keep their order. `write.wakeup` wakes the relay on commit (OUTBOX_WAKEUPS).
export class PaymentEventsOutbox {
  constructor(
    private readonly topic: string,
    private readonly write: OutboxWriteOptions = {},
  ) {}

  async record(
    sql: SqlExecutor,
    type: PaymentEventType,
    payment: Payment,
    extra: Pick<PaymentEvent, 'refundId' | 'refundedMinor' | 'reason'> = {},
  ): Promise<void> {
    const event: PaymentEvent = {
      type,
      paymentId: payment.id,
      merchantReference: payment.merchantReference,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      occurredAt: new Date().toISOString(),
      ...extra,
    };
    await writeOutbox(
      sql,
      this.topic,
      { key: payment.id, value: JSON.stringify(event), headers: { 'event-type': type } },
      this.write,
    );
  }
}

export { PAYMENT_EVENT_TYPES };
