import type { SqlExecutor } from '@suite/coordination';

export interface SinkReceipt {
  idempotencyKey: string;
  deliveries: number;
  // Whether this delivery applied the effect (the first under its key).
  applied: boolean;
}

// The sink's one table: a row per idempotency key, counting its deliveries.
export class SinkRepository {
  async receive(
    sql: SqlExecutor,
    delivery: { idempotencyKey: string; jobId: string; scheduledAt: number },
  ): Promise<SinkReceipt> {
    const { rows } = await sql.query<{ deliveries: number; applied: boolean }>(
      `insert into sink_deliveries (idempotency_key, job_id, scheduled_at)
       values ($1, $2, to_timestamp($3::float8 / 1000))
       on conflict (idempotency_key) do update
         set deliveries = sink_deliveries.deliveries + 1, last_at = clock_timestamp()
       returning deliveries, (xmax = 0) as applied`,
      [delivery.idempotencyKey, delivery.jobId, delivery.scheduledAt],
    );
    const row = rows[0] as { deliveries: number; applied: boolean };
    return { idempotencyKey: delivery.idempotencyKey, ...row };
  }
}
