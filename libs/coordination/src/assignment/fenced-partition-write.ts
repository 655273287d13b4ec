import type { SqlExecutor } from '../ports/sql-executor';
import { checkFence, fencedWrite, type FenceResult } from '../selection/fenced-write';
import { partitionFenceResource } from './partition-assigner';

// The storage side of a partition claim: selection's fence (coordination_fences), keyed by
// the group and partition. Call it first in the transaction of the domain write and roll back
// when it refuses; once a newer owner has written, an older token never writes again.
export function checkPartitionFence(
  sql: SqlExecutor,
  group: string,
  partition: number,
  token: number,
): Promise<FenceResult> {
  return checkFence(sql, partitionFenceResource(group, partition), token);
}

// BEGIN, fence, write, COMMIT on `client` (a pg PoolClient or Client); ROLLBACK and
// { ok: false, reason: 'stale-token' } when a newer owner of the partition has written.
export function fencedPartitionWrite<T>(
  client: SqlExecutor,
  group: string,
  partition: number,
  token: number,
  write: (sql: SqlExecutor) => Promise<T>,
): ReturnType<typeof fencedWrite<T>> {
  return fencedWrite(client, partitionFenceResource(group, partition), token, write);
}
