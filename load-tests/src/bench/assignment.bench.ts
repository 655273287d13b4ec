// The assignment benchmarks of issue 15, against the local Redis and Postgres, in one run:
// 1. movement: 64 partitions, members joining 1 -> 2 -> 4 -> 5 -> 8 and leaving back to 1, with
//    real PartitionAssigners; partitions that changed owner at each step against the ideal
//    M * |N' - N| / max(N, N'), and against a plain modulo over the sorted member list (the
//    naive assignment) computed for the same member ids in the same run;
// 2. reassignment time: a member of four stops heartbeating (dies without leaving), and the
//    time until the others own all its partitions; also a member that stops and leaves;
// 3. the double-processing verifier of the tests, naive modulo vs fenced claims.
// Not a test: it prints the figures and writes load-tests/results/assignment-<date>.md. Keys
// live under a unique prefix and the scratch database is dropped at the end.
//
//   npm run bench:assignment -- [--trials 20] [--lease 1000] [--heartbeat 250]
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { Client, Pool } from 'pg';
import {
  PartitionAssigner,
  PostgresEpochs,
  applyFencingSchema,
  applyItemsTable,
  assignAll,
  doubleProcessingScenario as scenario,
  fencedMember,
  moved,
  naiveMember,
  type Timers,
} from '@suite/coordination';
import { endpoint, runContext, writeResults } from '../lib/results';
import { summarize } from '../lib/stats';

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const redisUrl = arg('redis') ?? endpoint('REDIS_URL');
const databaseUrl = arg('database') ?? endpoint('DATABASE_URL');
const TRIALS = Number(arg('trials') ?? 20);
const LEASE_MS = Number(arg('lease') ?? 1000);
const HEARTBEAT_MS = Number(arg('heartbeat') ?? 250);
const M = 64;
const prefix = `bench-assign-${randomUUID().slice(0, 8)}:`;

// Timers that stop firing for good: a member that died without leaving.
class KillableTimers implements Timers {
  dead = false;
  setTimeout(fn: () => void, ms: number): unknown {
    return setTimeout(() => this.dead || fn(), ms);
  }
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as NodeJS.Timeout);
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await sleep(2);
  }
}

async function main(): Promise<void> {
  const dbName = `bench_assign_${randomUUID().slice(0, 8)}`;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${dbName}`;
  const pool = new Pool({ connectionString: url.toString(), max: 10 });
  const redis = new Redis(redisUrl, { keyPrefix: prefix });
  await applyFencingSchema(pool);
  const epochs = new PostgresEpochs(pool);
  const make = (group: string, id: string, timers?: Timers) =>
    new PartitionAssigner({
      redis,
      namespace: 'bench',
      epochs,
      group,
      memberId: id,
      partitions: M,
      leaseMs: LEASE_MS,
      heartbeatMs: HEARTBEAT_MS,
      timers,
    });
  const ownersOf = (members: PartitionAssigner[]) => {
    const owners: (string | undefined)[] = new Array<string | undefined>(M).fill(undefined);
    for (const m of members) for (const p of m.owned().keys()) owners[p] = m.memberId;
    return owners;
  };
  const settled = (members: PartitionAssigner[]) => {
    const want = assignAll(
      members.map((m) => m.memberId),
      M,
    );
    const have = ownersOf(members);
    return want.every((o, p) => o === have[p]);
  };
  const modulo = (ids: string[]) => {
    const sorted = [...ids].sort();
    return Array.from({ length: M }, (_, p) => sorted[p % sorted.length]);
  };

  try {
    // 1. Movement.
    const movement: string[] = [];
    const live: PartitionAssigner[] = [];
    const ids = Array.from({ length: 8 }, (_, i) => `member-${i}`);
    let before = ownersOf(live);
    let beforeIds: string[] = [];
    const step = async (label: string, n: number) => {
      const started = Date.now();
      while (live.length < n) {
        const a = make('movement', ids[live.length] as string);
        live.push(a);
        await a.start();
      }
      while (live.length > n) await live.pop()?.stop();
      await until(() => settled(live), 10 * LEASE_MS);
      const settleMs = Date.now() - started;
      const after = ownersOf(live);
      const nowIds = live.map((m) => m.memberId);
      const count = moved(before, after);
      const nBefore = beforeIds.length;
      const ideal = nBefore === 0 ? M : (M * Math.abs(n - nBefore)) / Math.max(n, nBefore);
      const naive = nBefore === 0 ? M : moved(modulo(beforeIds), modulo(nowIds));
      movement.push(
        `| ${label} | ${count} | ${ideal.toFixed(1)} | ${(count / ideal).toFixed(2)} | ${naive} | ${(naive / ideal).toFixed(2)} | ${settleMs} |`,
      );
      console.log(
        `${label}: moved ${count}, ideal ${ideal}, naive modulo ${naive}, ${settleMs} ms`,
      );
      before = after;
      beforeIds = nowIds;
    };
    // Doubling and halving, as in the brief, and single joins and leaves, where a modulo over
    // the member list shows its cost (doubling N happens to be ideal for a modulo).
    const sizes = [1, 2, 4, 5, 8, 7, 4, 2, 1];
    await step('start with 1', 1);
    for (let i = 1; i < sizes.length; i++) {
      const [from, to] = [sizes[i - 1] as number, sizes[i] as number];
      await step(`${to > from ? 'join' : 'leave'} ${from} → ${to}`, to);
    }
    await Promise.all(live.splice(0).map((m) => m.stop()));

    // 2. Reassignment time.
    const reassign = async (graceful: boolean) => {
      const samples: number[] = [];
      for (let t = 0; t < TRIALS; t++) {
        const group = `${graceful ? 'leave' : 'death'}-${t}`;
        const timers = new KillableTimers();
        const victim = make(group, 'victim', timers);
        const others = ['a', 'b', 'c'].map((id) => make(group, id));
        await victim.start();
        for (const o of others) await o.start();
        const all = [victim, ...others];
        await until(() => settled(all), 10 * LEASE_MS);
        const orphaned = [...victim.owned().keys()];
        const started = Date.now();
        if (graceful) await victim.stop();
        else timers.dead = true;
        await until(
          () => orphaned.every((p) => others.some((o) => o.owned().has(p))),
          10 * LEASE_MS,
        );
        samples.push(Date.now() - started);
        await Promise.all(others.map((o) => o.stop()));
      }
      return summarize(samples);
    };
    const death = await reassign(false);
    const leave = await reassign(true);
    console.log('death', death, 'leave', leave);

    // 3. Double processing.
    await applyItemsTable(pool);
    const naive = await scenario(pool, 'naive', naiveMember(redis, 'naive'));
    const fenced = await scenario(pool, 'fenced', fencedMember(redis, pool, 'fenced'));
    console.log('naive', naive, 'fenced', fenced);

    const file = writeResults(
      'assignment',
      [
        '# Assignment: movement, reassignment time, double processing',
        '',
        runContext(),
        '- the machine is shared with other helpers building and testing at the same time; the load average above says how busy it was',
        `- Redis and Postgres on loopback; M = ${M} partitions; lease ${LEASE_MS} ms, heartbeat ${HEARTBEAT_MS} ms`,
        '- command: `npm run bench:assignment`',
        '',
        '## Partitions moved per membership change',
        '',
        'Owners read from the live assigners once the split settled. Ideal = M·|N′−N|/max(N, N′).',
        'Naive = a plain modulo over the sorted member list, for the same member ids.',
        'Settle = from the first join or leave until every partition is owned as rendezvous hashing says.',
        '',
        '| step | moved | ideal | moved / ideal | naive modulo moved | naive / ideal | settle ms |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...movement,
        '',
        '## Time until a member’s partitions are owned again',
        '',
        `${TRIALS} trials each, 4 members, the partitions of one of them; bound for a death: lease + heartbeat = ${LEASE_MS + HEARTBEAT_MS} ms.`,
        '',
        '| how the member went | trials | p50 ms | p99 ms | max ms |',
        '| --- | --- | --- | --- | --- |',
        `| died (stopped heartbeating, never left) | ${death.count} | ${death.p50} | ${death.p99} | ${death.max} |`,
        `| stopped (released its claims and left) | ${leave.count} | ${leave.p50} | ${leave.p99} | ${leave.max} |`,
        '',
        '## Double processing (the tests’ verifier)',
        '',
        'Three members over 8 partitions of 400 items; one joins, one is paused mid-item for twice its lease',
        '(libs/coordination/src/assignment/double-processing-check.ts).',
        '',
        '| assigner | items processed | processed twice | stale writes refused by the fence |',
        '| --- | --- | --- | --- |',
        `| naive modulo, no claims, no fence | ${naive.processed} | ${naive.doubles} | — |`,
        `| PartitionAssigner, fenced claims | ${fenced.processed} | ${fenced.doubles} | ${fenced.refused} |`,
      ].join('\n'),
    );
    console.log(`wrote ${file}`);
  } finally {
    const raw = new Redis(redisUrl);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
    raw.disconnect();
    redis.disconnect();
    await pool.end();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
