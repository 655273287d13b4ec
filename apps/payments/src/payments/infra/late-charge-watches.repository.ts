import type { SqlExecutor } from '@suite/coordination';

export type LateChargeWatchOutcome = 'no-charge' | 'late-charge' | 'declined';

export interface LateChargeWatch {
  paymentId: string;
  pspKey: string;
  failedAt: Date;
  // Definitive "no charge" answers so far.
  checks: number;
}

// The late-charge sweep's work list (table late_charge_watches): one open watch per payment
// failed with no word from the PSP after a charge request was sent. Every method runs on
// the caller's transaction.
export class LateChargeWatchesRepository {
  // In the transaction that fails the payment, so a failure is never left unwatched.
  async open(sql: SqlExecutor, paymentId: string, failedAt: Date, firstCheckAt: Date) {
    await sql.query(
      `insert into late_charge_watches (payment_id, failed_at, next_check_at)
       values ($1, $2, $3)
       on conflict (payment_id) do nothing`,
      [paymentId, failedAt, firstCheckAt],
    );
  }

  // Open watches due at `now`, most overdue first, pushed to `leaseUntil` in the same
  // statement: another instance's sweep skips them, and a sweep that dies mid-round leaves
  // them due again then. Two sweeps asking about one payment would still be harmless.
  async claimDue(
    sql: SqlExecutor,
    now: Date,
    leaseUntil: Date,
    limit: number,
  ): Promise<LateChargeWatch[]> {
    const result = await sql.query<{
      payment_id: string;
      psp_key: string;
      failed_at: Date;
      checks: number;
    }>(
      `with due as (
         select payment_id from late_charge_watches
          where ended_at is null and next_check_at <= $1
          order by next_check_at
          limit $3
          for update skip locked)
       update late_charge_watches w set next_check_at = $2
         from due, payments p
        where w.payment_id = due.payment_id and p.id = w.payment_id
       returning w.payment_id, p.psp_key, w.failed_at, w.checks`,
      [now, leaseUntil, limit],
    );
    return result.rows.map((row) => ({
      paymentId: row.payment_id,
      pspKey: row.psp_key,
      failedAt: row.failed_at,
      checks: row.checks,
    }));
  }

  // `counted`: the PSP answered "no charge" (a check of the schedule); false when it could
  // not be asked.
  async reschedule(sql: SqlExecutor, paymentId: string, at: Date, counted: boolean) {
    await sql.query(
      `update late_charge_watches
          set next_check_at = $2, checks = checks + $3
        where payment_id = $1 and ended_at is null`,
      [paymentId, at, counted ? 1 : 0],
    );
  }

  async end(sql: SqlExecutor, paymentId: string, outcome: LateChargeWatchOutcome, at: Date) {
    await sql.query(
      `update late_charge_watches
          set ended_at = $3, outcome = $2, checks = checks + 1
        where payment_id = $1 and ended_at is null`,
      [paymentId, outcome, at],
    );
  }
}
