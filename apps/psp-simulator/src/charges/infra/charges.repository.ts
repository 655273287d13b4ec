import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '@suite/coordination';
import type { Charge, ChargeRequest, ChargeStatus, Refund, RefundRequest } from '../domain/charge';

interface ChargeRow {
  id: string;
  idempotency_key: string;
  amount_minor: string;
  currency: string;
  source_token: string;
  merchant_reference: string;
  status: ChargeStatus;
  refunded_minor: string;
  callback_url: string | null;
  created_at: Date;
}

interface RefundRow {
  id: string;
  idempotency_key: string;
  charge_id: string;
  amount_minor: string;
  created_at: Date;
}

// pg returns bigint as a string; amounts here stay far below 2^53.
const toCharge = (r: ChargeRow): Charge => ({
  id: r.id,
  idempotencyKey: r.idempotency_key,
  amountMinor: Number(r.amount_minor),
  currency: r.currency,
  sourceToken: r.source_token,
  merchantReference: r.merchant_reference,
  status: r.status,
  refundedMinor: Number(r.refunded_minor),
  callbackUrl: r.callback_url,
  createdAt: r.created_at,
});

const toRefund = (r: RefundRow): Refund => ({
  id: r.id,
  idempotencyKey: r.idempotency_key,
  chargeId: r.charge_id,
  amountMinor: Number(r.amount_minor),
  createdAt: r.created_at,
});

// The simulator's one aggregate, a charge and its refunds, in hand-written SQL. Every
// method runs on the caller's executor, so the use case decides the transaction.
export class ChargesRepository {
  async findByKey(sql: SqlExecutor, idempotencyKey: string): Promise<Charge | undefined> {
    const { rows } = await sql.query<ChargeRow>(
      'select * from charges where idempotency_key = $1',
      [idempotencyKey],
    );
    return rows[0] ? toCharge(rows[0]) : undefined;
  }

  // Every filter given must match; the oldest 100.
  async find(
    sql: SqlExecutor,
    filter: { idempotencyKey?: string; merchantReference?: string },
  ): Promise<Charge[]> {
    const { rows } = await sql.query<ChargeRow>(
      `select * from charges
        where ($1::text is null or idempotency_key = $1)
          and ($2::text is null or merchant_reference = $2)
        order by created_at
        limit 100`,
      [filter.idempotencyKey ?? null, filter.merchantReference ?? null],
    );
    return rows.map(toCharge);
  }

  // Inserts the charge unless its key exists (the unique key decides between concurrent
  // duplicates). Undefined: a duplicate won the insert, and the caller replays that one.
  async insertIfAbsent(
    sql: SqlExecutor,
    request: ChargeRequest,
    status: ChargeStatus,
  ): Promise<Charge | undefined> {
    const { rows } = await sql.query<ChargeRow>(
      `insert into charges (id, idempotency_key, amount_minor, currency, source_token,
                            merchant_reference, status, refunded_minor, callback_url, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9)
       on conflict do nothing
       returning *`,
      [
        `ch_${randomUUID().replace(/-/g, '')}`,
        request.idempotencyKey,
        request.amountMinor,
        request.currency,
        request.sourceToken,
        request.merchantReference,
        status,
        request.callbackUrl ?? null,
        new Date(),
      ],
    );
    return rows[0] ? toCharge(rows[0]) : undefined;
  }

  // Takes the charge's row lock until the caller's transaction ends: two refunds of one
  // charge cannot both pass the "refundable" check.
  async lock(sql: SqlExecutor, id: string): Promise<Charge | undefined> {
    const { rows } = await sql.query<ChargeRow>('select * from charges where id = $1 for update', [
      id,
    ]);
    return rows[0] ? toCharge(rows[0]) : undefined;
  }

  async findRefundByKey(sql: SqlExecutor, idempotencyKey: string): Promise<Refund | undefined> {
    const { rows } = await sql.query<RefundRow>(
      'select * from refunds where idempotency_key = $1',
      [idempotencyKey],
    );
    return rows[0] ? toRefund(rows[0]) : undefined;
  }

  // Undefined: a refund under this key exists (a concurrent duplicate inserted first).
  async insertRefundIfAbsent(
    sql: SqlExecutor,
    request: RefundRequest,
  ): Promise<Refund | undefined> {
    const { rows } = await sql.query<RefundRow>(
      `insert into refunds (id, idempotency_key, charge_id, amount_minor, created_at)
       values ($1, $2, $3, $4, $5)
       on conflict do nothing
       returning *`,
      [
        `re_${randomUUID().replace(/-/g, '')}`,
        request.idempotencyKey,
        request.chargeId,
        request.amountMinor,
        new Date(),
      ],
    );
    return rows[0] ? toRefund(rows[0]) : undefined;
  }

  // Under the charge's row lock (lock above); the CHECK refuses more than was charged.
  async addRefunded(sql: SqlExecutor, id: string, amountMinor: number): Promise<void> {
    await sql.query('update charges set refunded_minor = refunded_minor + $2 where id = $1', [
      id,
      amountMinor,
    ]);
  }
}
