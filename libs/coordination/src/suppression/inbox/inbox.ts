import { systemClock, type Clock } from '../../clock/clock';
import type { SqlExecutor } from '../../ports/sql-executor';

const RECORD_MESSAGE = `
  insert into inbox_messages (consumer, message_id, processed_at)
  values ($1, $2, $3)
  on conflict (consumer, message_id) do nothing`;

// The same record as a data-modifying CTE named `recorded`, one row when the message is new,
// for a caller that also locks, in the same statement, the row its effect will change (the
// saga orchestrator): one round trip instead of two. $1 consumer, $2 message id, $3 time.
// A redelivery waits on the first transaction's record exactly as processOnce's does.
export const RECORD_MESSAGE_CTE = `recorded as (${RECORD_MESSAGE} returning 1)`;

// Oldest first, bounded, skipping rows a consumer is writing right now.
const PURGE_PROCESSED = `
  with doomed as (
    select consumer, message_id
      from inbox_messages
     where processed_at <= $1
     order by processed_at
     limit $2
       for update skip locked)
  delete from inbox_messages i
   using doomed
   where i.consumer = doomed.consumer and i.message_id = doomed.message_id`;

export type InboxOutcome<T> = { kind: 'processed'; result: T } | { kind: 'duplicate' };

// Applies `effect` at most once per (consumer, messageId). `tx` must be inside a
// transaction that the caller commits after this resolves: the inbox row and the
// effect commit together or not at all. A concurrent redelivery blocks on the inbox
// row until the first transaction ends, then sees it as a duplicate (or, if the first
// rolled back, applies the effect itself).
export async function processOnce<T>(
  tx: SqlExecutor,
  consumer: string,
  messageId: string,
  effect: (tx: SqlExecutor) => Promise<T>,
  clock: Clock = systemClock,
): Promise<InboxOutcome<T>> {
  if (consumer.length === 0 || messageId.length === 0) {
    throw new TypeError('processOnce: consumer and messageId must be non-empty');
  }
  const recorded = await tx.query(RECORD_MESSAGE, [consumer, messageId, new Date(clock.now())]);
  if (recorded.rowCount !== 1) return { kind: 'duplicate' };
  return { kind: 'processed', result: await effect(tx) };
}

export interface InboxPurgeOptions {
  // Keep entries this long. Must exceed the longest time a message can be redelivered
  // (broker retention plus consumer lag), or an old redelivery is applied again.
  retentionMs: number;
  batchSize?: number;
  maxBatches?: number;
  clock?: Clock;
}

export async function purgeInbox(
  sql: SqlExecutor,
  options: InboxPurgeOptions,
): Promise<{ deleted: number; batches: number; more: boolean }> {
  const clock = options.clock ?? systemClock;
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? 20;
  if (!(options.retentionMs > 0) || !(batchSize > 0) || !(maxBatches > 0)) {
    throw new RangeError('purgeInbox: retentionMs, batchSize and maxBatches must be positive');
  }
  let deleted = 0;
  let batches = 0;
  let last = 0;
  while (batches < maxBatches) {
    const result = await sql.query(PURGE_PROCESSED, [
      new Date(clock.now() - options.retentionMs),
      batchSize,
    ]);
    last = result.rowCount ?? 0;
    deleted += last;
    batches += 1;
    if (last < batchSize) break;
  }
  return { deleted, batches, more: last === batchSize };
}
