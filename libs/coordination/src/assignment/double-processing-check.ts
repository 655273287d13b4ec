import type { Pool } from 'pg';
import type { RedisClient } from '../redis/lua-script';
import { PostgresEpochs } from '../selection/epochs';
import { checkPartitionFence } from './fenced-partition-write';
import { NaiveModuloAssigner } from './naive-modulo-assigner';
import { PartitionAssigner } from './partition-assigner';
import { PausableTimers } from './pausable-timers';

// FOR TESTS AND MEASUREMENTS ONLY (the tests and the assignment benchmark share it).
// One scenario, one verifier, two assignment mechanisms. Members A and B process items of 8
// partitions; C joins; A is paused (timers and work) in the middle of an item for twice the
// lease, then thaws and finishes it. Processing an item reads the next unprocessed one, works
// on it, and marks it processed, in one transaction. The verifier counts items processed
// more than once.
export const PARTITIONS = 8;
const ITEMS = 400;
export const LEASE_MS = 600;
export const HEARTBEAT_MS = 150;
const WORK_MS = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Member {
  id: string;
  timers: PausableTimers;
  // The partitions it believes it may act on now, with a token when it has one.
  view(): [number, number | undefined][];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface Tally {
  processed: number;
  refused: number;
}

// Runs until `stopped`: one item per owned partition per round.
async function work(pool: Pool, group: string, m: Member, stopped: () => boolean, t: Tally) {
  while (!stopped()) {
    for (const [partition, token] of m.view()) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        if (token !== undefined) {
          const fence = await checkPartitionFence(client, group, partition, token);
          if (!fence.ok) {
            await client.query('rollback');
            t.refused++;
            continue;
          }
        }
        const next = await client.query<{ item: number }>(
          'select item from items where grp = $1 and partition = $2 and processed = 0 order by item limit 1',
          [group, partition],
        );
        const item = next.rows[0]?.item;
        if (item === undefined) {
          await client.query('rollback');
          continue;
        }
        await sleep(WORK_MS);
        await m.timers.gate();
        await client.query(
          'update items set processed = processed + 1 where grp = $1 and partition = $2 and item = $3',
          [group, partition, item],
        );
        await client.query('commit');
        t.processed++;
      } finally {
        client.release();
      }
    }
    await sleep(5);
  }
}

export interface ScenarioResult extends Tally {
  // Items processed more than once: the verifier. 0 is the only correct value.
  doubles: number;
}

// Creates the items table if needed; items of each group are separate.
export async function applyItemsTable(pool: Pool): Promise<void> {
  await pool.query(
    'create table if not exists items (grp text, partition int, item int, ' +
      'processed int not null default 0, primary key (grp, partition, item))',
  );
}

export async function scenario(
  pool: Pool,
  group: string,
  member: (id: string) => Member,
): Promise<ScenarioResult> {
  await pool.query(
    'insert into items (grp, partition, item) ' +
      'select $1, p, i from generate_series(0, $2 - 1) p, generate_series(1, $3) i',
    [group, PARTITIONS, ITEMS],
  );
  let stopped = false;
  const tally: Tally = { processed: 0, refused: 0 };
  const [a, b, c] = ['a', 'b', 'c'].map(member) as [Member, Member, Member];
  const loops: Promise<void>[] = [];
  const run = async (m: Member) => {
    await m.start();
    loops.push(work(pool, group, m, () => stopped, tally));
  };
  await run(a);
  await run(b);
  await sleep(300);
  await run(c);
  await sleep(300);
  a.timers.pause();
  await sleep(LEASE_MS * 2);
  a.timers.resume();
  await sleep(400);
  stopped = true;
  await Promise.all(loops);
  await Promise.all([a, b, c].map((m) => m.stop()));
  const twice = await pool.query<{ n: string }>(
    'select count(*)::text as n from items where grp = $1 and processed > 1',
    [group],
  );
  return { doubles: Number(twice.rows[0]?.n), ...tally };
}

export function naiveMember(redis: RedisClient, group: string): (id: string) => Member {
  return (id) => {
    const timers = new PausableTimers();
    const naive = new NaiveModuloAssigner({
      redis,
      namespace: 'test-service',
      group,
      memberId: id,
      partitions: PARTITIONS,
      leaseMs: LEASE_MS,
      heartbeatMs: HEARTBEAT_MS,
      timers,
    });
    return {
      id,
      timers,
      view: () => [...naive.owned()].map((p): [number, undefined] => [p, undefined]),
      start: () => naive.start(),
      stop: () => naive.stop(),
    };
  };
}

export function fencedMember(
  redis: RedisClient,
  pool: Pool,
  group: string,
): (id: string) => Member {
  return (id) => {
    const timers = new PausableTimers();
    const assigner = new PartitionAssigner({
      redis,
      namespace: 'test-service',
      epochs: new PostgresEpochs(pool),
      group,
      memberId: id,
      partitions: PARTITIONS,
      leaseMs: LEASE_MS,
      heartbeatMs: HEARTBEAT_MS,
      timers,
    });
    return {
      id,
      timers,
      view: () => [...assigner.owned()],
      start: () => assigner.start(),
      stop: () => assigner.stop(),
    };
  };
}
