import type { SqlExecutor } from '@suite/coordination';
import { entityManagerOf } from '../../database/typeorm-transactions';
import { transition, type PaymentEvent } from '../domain/payment-status';
import { PaymentRecord, RefundRecord } from './payment.record';

// The payment aggregate (a payment and its refunds). Every method runs on the caller's
// transaction; `forUpdate` takes the row lock that serialises settlement, refunds and
// the reconciliation job on one payment.
export class PaymentsRepository {
  async insert(sql: SqlExecutor, payment: PaymentRecord): Promise<void> {
    await entityManagerOf(sql).getRepository(PaymentRecord).insert(payment);
  }

  findById(sql: SqlExecutor, id: string, forUpdate = false): Promise<PaymentRecord | null> {
    return entityManagerOf(sql)
      .getRepository(PaymentRecord)
      .findOne({ where: { id }, ...(forUpdate ? { lock: { mode: 'pessimistic_write' } } : {}) });
  }

  findByKey(
    sql: SqlExecutor,
    scope: string,
    key: string,
    forUpdate = false,
  ): Promise<PaymentRecord | null> {
    return entityManagerOf(sql)
      .getRepository(PaymentRecord)
      .findOne({
        where: { idempotencyScope: scope, idempotencyKey: key },
        ...(forUpdate ? { lock: { mode: 'pessimistic_write' } } : {}),
      });
  }

  // Moves the status through the transition table; an illegal move throws.
  async apply(
    sql: SqlExecutor,
    payment: PaymentRecord,
    event: PaymentEvent,
    changes: Partial<Pick<PaymentRecord, 'pspChargeId' | 'failureReason' | 'refundedMinor'>> = {},
  ): Promise<PaymentRecord> {
    const next = Object.assign(payment, changes, {
      status: transition(payment.status, event),
      updatedAt: new Date(),
    });
    await entityManagerOf(sql).getRepository(PaymentRecord).save(next);
    return next;
  }

  // Unsettled payments untouched since `before`, oldest first, skipping rows another
  // reconciler or a request holds right now.
  async findStuck(sql: SqlExecutor, before: Date, limit: number): Promise<string[]> {
    const result = await sql.query<{ id: string }>(
      `select id from payments
        where status in ('pending', 'processing') and updated_at < $1
        order by updated_at
        limit $2
        for update skip locked`,
      [before, limit],
    );
    return result.rows.map((row) => row.id);
  }

  async insertRefund(sql: SqlExecutor, refund: RefundRecord): Promise<void> {
    await entityManagerOf(sql).getRepository(RefundRecord).insert(refund);
  }

  findRefundByKey(sql: SqlExecutor, scope: string, key: string): Promise<RefundRecord | null> {
    return entityManagerOf(sql)
      .getRepository(RefundRecord)
      .findOne({ where: { idempotencyScope: scope, idempotencyKey: key } });
  }

  async saveRefund(sql: SqlExecutor, refund: RefundRecord): Promise<void> {
    refund.updatedAt = new Date();
    await entityManagerOf(sql).getRepository(RefundRecord).save(refund);
  }

  // Money promised to refunds that have not failed: what a new refund must fit beside.
  async reservedForRefunds(sql: SqlExecutor, paymentId: string): Promise<number> {
    const result = await sql.query<{ reserved: string }>(
      `select coalesce(sum(amount_minor), 0) as reserved from payment_refunds
        where payment_id = $1 and status <> 'failed'`,
      [paymentId],
    );
    return Number(result.rows[0]?.reserved ?? 0);
  }
}
