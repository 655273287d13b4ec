import type { SqlExecutor } from '@suite/coordination';
import type { Payment, Refund, RefundStatus } from '../domain/payment';
import type { PaymentStatus } from '../domain/payment-status';
import { transition, type PaymentEvent } from '../domain/payment-status';

// The refunds that give back a charge which landed after its payment had failed.
export const LATE_CHARGE_SCOPE = 'late-charge';

interface PaymentRow {
  id: string;
  idempotency_scope: string;
  idempotency_key: string;
  psp_key: string;
  amount_minor: string;
  currency: string;
  source_token: string;
  merchant_reference: string;
  status: PaymentStatus;
  psp_charge_id: string | null;
  failure_reason: string | null;
  refunded_minor: string;
  charge_attempted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface RefundRow {
  id: string;
  payment_id: string;
  idempotency_scope: string;
  idempotency_key: string;
  amount_minor: string;
  status: RefundStatus;
  psp_refund_id: string | null;
  failure_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

// pg returns bigint as a string; amounts stay far below 2^53.
const toPayment = (r: PaymentRow): Payment => ({
  id: r.id,
  idempotencyScope: r.idempotency_scope,
  idempotencyKey: r.idempotency_key,
  pspKey: r.psp_key,
  amountMinor: Number(r.amount_minor),
  currency: r.currency,
  sourceToken: r.source_token,
  merchantReference: r.merchant_reference,
  status: r.status,
  pspChargeId: r.psp_charge_id,
  failureReason: r.failure_reason,
  refundedMinor: Number(r.refunded_minor),
  chargeAttemptedAt: r.charge_attempted_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toRefund = (r: RefundRow): Refund => ({
  id: r.id,
  paymentId: r.payment_id,
  idempotencyScope: r.idempotency_scope,
  idempotencyKey: r.idempotency_key,
  amountMinor: Number(r.amount_minor),
  status: r.status,
  pspRefundId: r.psp_refund_id,
  failureReason: r.failure_reason,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const lockedIf = (forUpdate: boolean) => (forUpdate ? ' for update' : '');

// The payment aggregate (a payment and its refunds), in hand-written SQL. Every method
// runs on the caller's executor, so the use case decides the transaction; `forUpdate`
// takes the row lock that serialises settlement, refunds and the reconciliation job on
// one payment.
export class PaymentsRepository {
  async insert(sql: SqlExecutor, payment: Payment): Promise<void> {
    await sql.query(
      `insert into payments (id, idempotency_scope, idempotency_key, psp_key, amount_minor,
                             currency, source_token, merchant_reference, status, psp_charge_id,
                             failure_reason, refunded_minor, charge_attempted_at, created_at,
                             updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        payment.id,
        payment.idempotencyScope,
        payment.idempotencyKey,
        payment.pspKey,
        payment.amountMinor,
        payment.currency,
        payment.sourceToken,
        payment.merchantReference,
        payment.status,
        payment.pspChargeId,
        payment.failureReason,
        payment.refundedMinor,
        payment.chargeAttemptedAt,
        payment.createdAt,
        payment.updatedAt,
      ],
    );
  }

  async findById(sql: SqlExecutor, id: string, forUpdate = false): Promise<Payment | null> {
    const { rows } = await sql.query<PaymentRow>(
      `select * from payments where id = $1${lockedIf(forUpdate)}`,
      [id],
    );
    return rows[0] ? toPayment(rows[0]) : null;
  }

  async findByKey(
    sql: SqlExecutor,
    scope: string,
    key: string,
    forUpdate = false,
  ): Promise<Payment | null> {
    const { rows } = await sql.query<PaymentRow>(
      `select * from payments
        where idempotency_scope = $1 and idempotency_key = $2${lockedIf(forUpdate)}`,
      [scope, key],
    );
    return rows[0] ? toPayment(rows[0]) : null;
  }

  // Moves the status through the transition table; an illegal move throws. The payment
  // given is updated in place and returned.
  async apply(
    sql: SqlExecutor,
    payment: Payment,
    event: PaymentEvent,
    changes: Partial<Pick<Payment, 'pspChargeId' | 'failureReason' | 'refundedMinor'>> = {},
  ): Promise<Payment> {
    const next = Object.assign(payment, changes, {
      status: transition(payment.status, event),
      updatedAt: new Date(),
    });
    await sql.query(
      `update payments
          set status = $2, psp_charge_id = $3, failure_reason = $4, refunded_minor = $5,
              updated_at = $6
        where id = $1`,
      [
        next.id,
        next.status,
        next.pspChargeId,
        next.failureReason,
        next.refundedMinor,
        next.updatedAt,
      ],
    );
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
    payment: Payment,
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
  ): Promise<Refund[]> {
    const { rows } = await sql.query<RefundRow>(
      `select * from payment_refunds
        where idempotency_scope = $1 and status = 'pending'
          and ($2::uuid is null or payment_id = $2::uuid)
        order by created_at
        limit $3`,
      [LATE_CHARGE_SCOPE, options.paymentId ?? null, options.limit],
    );
    return rows.map(toRefund);
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

  async insertRefund(sql: SqlExecutor, refund: Refund): Promise<void> {
    await sql.query(
      `insert into payment_refunds (id, payment_id, idempotency_scope, idempotency_key,
                                    amount_minor, status, psp_refund_id, failure_reason,
                                    created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        refund.id,
        refund.paymentId,
        refund.idempotencyScope,
        refund.idempotencyKey,
        refund.amountMinor,
        refund.status,
        refund.pspRefundId,
        refund.failureReason,
        refund.createdAt,
        refund.updatedAt,
      ],
    );
  }

  async findRefundByKey(
    sql: SqlExecutor,
    scope: string,
    key: string,
    forUpdate = false,
  ): Promise<Refund | null> {
    const { rows } = await sql.query<RefundRow>(
      `select * from payment_refunds
        where idempotency_scope = $1 and idempotency_key = $2${lockedIf(forUpdate)}`,
      [scope, key],
    );
    return rows[0] ? toRefund(rows[0]) : null;
  }

  // Writes the refund's outcome (status, PSP refund id, failure reason).
  async saveRefund(sql: SqlExecutor, refund: Refund): Promise<void> {
    refund.updatedAt = new Date();
    await sql.query(
      `update payment_refunds
          set status = $2, psp_refund_id = $3, failure_reason = $4, updated_at = $5
        where id = $1`,
      [refund.id, refund.status, refund.pspRefundId, refund.failureReason, refund.updatedAt],
    );
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
