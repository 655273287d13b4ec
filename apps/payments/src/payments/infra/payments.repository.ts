import type { SqlExecutor } from '@suite/coordination';
import { entityManagerOf } from '../../database/typeorm-transactions';
import { transition, type PaymentEvent } from '../domain/payment-status';
import { PaymentRecord, RefundRecord } from './payment.record';

// The refunds that give back a charge which landed after its payment had failed.
export const LATE_CHARGE_SCOPE = 'late-charge';

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

  // Stamps the start of a PSP charge call, in its own transaction committed before the
  // call. The update takes the row lock and only matches a payment still processing, so a
  // capture never calls the PSP for a payment the reconciler or a refund has settled, and
  // they in turn see that an attempt began. False: the payment is no longer processing.
  async stampChargeAttempt(sql: SqlExecutor, id: string, at: Date): Promise<boolean> {
    const result = await sql.query(
      `update payments set charge_attempted_at = $2, updated_at = $2
        where id = $1 and status = 'processing'`,
      [id, at],
    );
    return result.rowCount === 1;
  }

  // The tombstone a compensation leaves under a capture's key when the capture has not
  // arrived: a failed payment that was never charged, so the late capture charges nothing.
  // False when a payment already holds the key (the caller then settles that one).
  async insertTombstone(
    sql: SqlExecutor,
    tombstone: { id: string; scope: string; key: string; reason: string; at: Date },
  ): Promise<boolean> {
    const result = await sql.query(
      `insert into payments (id, idempotency_scope, idempotency_key, psp_key, amount_minor,
                             currency, source_token, merchant_reference, status,
                             failure_reason, refunded_minor, created_at, updated_at)
       values ($1, $2, $3, $4, 0, 'XXX', '', '', 'failed', $5, 0, $6, $6)
       on conflict (idempotency_scope, idempotency_key) do nothing`,
      [tombstone.id, tombstone.scope, tombstone.key, tombstone.id, tombstone.reason, tombstone.at],
    );
    return result.rowCount === 1;
  }

  // A charge that landed on a payment already failed: its charge id is kept, and a pending
  // refund under the late-charge scope (one per payment) says the money must go back.
  async recordLateCharge(
    sql: SqlExecutor,
    payment: PaymentRecord,
    chargeId: string,
    refundId: string,
    at: Date,
  ): Promise<void> {
    await sql.query(`update payments set psp_charge_id = $2, updated_at = $3 where id = $1`, [
      payment.id,
      chargeId,
      at,
    ]);
    payment.pspChargeId = chargeId;
    await sql.query(
      `insert into payment_refunds (id, payment_id, idempotency_scope, idempotency_key,
                                    amount_minor, status, created_at, updated_at)
       values ($1, $2, $3, $4, $5, 'pending', $6, $6)
       on conflict (idempotency_scope, idempotency_key) do nothing`,
      [refundId, payment.id, LATE_CHARGE_SCOPE, payment.id, payment.amountMinor, at],
    );
  }

  // Late charges not yet given back, oldest first; of one payment when paymentId is given.
  async pendingLateChargeRefunds(
    sql: SqlExecutor,
    options: { paymentId?: string; limit: number },
  ): Promise<RefundRecord[]> {
    return entityManagerOf(sql)
      .getRepository(RefundRecord)
      .find({
        where: {
          idempotencyScope: LATE_CHARGE_SCOPE,
          status: 'pending',
          ...(options.paymentId ? { paymentId: options.paymentId } : {}),
        },
        order: { createdAt: 'ASC' },
        take: options.limit,
      });
  }

  // Unsettled payments untouched since `before`, oldest first, skipping rows another
  // reconciler or a request holds right now. A charge attempt touches the row, so a
  // payment with a call in flight is not picked up; the settlement checks it again under
  // the row lock.
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

  findRefundByKey(
    sql: SqlExecutor,
    scope: string,
    key: string,
    forUpdate = false,
  ): Promise<RefundRecord | null> {
    return entityManagerOf(sql)
      .getRepository(RefundRecord)
      .findOne({
        where: { idempotencyScope: scope, idempotencyKey: key },
        ...(forUpdate ? { lock: { mode: 'pessimistic_write' } } : {}),
      });
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
