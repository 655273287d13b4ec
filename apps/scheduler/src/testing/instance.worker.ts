// A scheduler instance in its own process, for the kill, pause, burst and naive tests: it
// joins the jobs group, owns what the assigner gives it and fires those partitions' due jobs
// (or, naive, every due job). Arguments arrive as one JSON argument: only entry points read
// the environment. Reports over IPC: ready, owned, recording, fenced-out, pass.
import { setTimeout as delay } from 'node:timers/promises';
import {
  PartitionAssigner,
  PostgresEpochs,
  poolTransactionRunner,
  type OwnedPartitions,
} from '@suite/coordination';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { FirePass, JOBS_GROUP, NaiveFirePass } from '../fires/fire-due-jobs/fire-due-jobs';
import { Deliverer } from '../fires/infra/deliverer';
import { SchedulerFirer } from '../workers/scheduler-firer';

export interface InstanceArgs {
  redisUrl: string;
  databaseUrl: string;
  keyPrefix: string;
  memberId: string;
  partitions: number;
  leaseMs: number;
  pollMs: number;
  mode: 'assigned' | 'naive';
  batchSize?: number;
  // Fires whose payload has { holdBeforeRecording: true } wait this long between delivery
  // and the fenced write that records it, after reporting { recording }: the window in which
  // the pause test stops the process.
  holdMs?: number;
  // false: the partition fence is skipped (the naive variant of the pause test).
  fenced?: boolean;
}

export interface InstanceMessage {
  ready?: string;
  owned?: number[];
  recording?: { partition: number; keys: string[] };
  fencedOut?: { partition: number; step: string; fires: number };
  pass?: { claimed: number; delivered: number; redelivered: number };
  error?: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as InstanceArgs;
const reply = (m: InstanceMessage) => process.send?.(m);
const redis = new Redis(args.redisUrl, { keyPrefix: args.keyPrefix });
const pool = new Pool({ connectionString: args.databaseUrl, max: 4 });
const held = new Set<string>();

const options = {
  tx: poolTransactionRunner(pool),
  sql: pool,
  deliverer: new Deliverer({ timeoutMs: 5_000, concurrency: 64 }),
  owner: args.memberId,
  batchSize: args.batchSize ?? 500,
  redeliverAfterMs: 10_000,
  fenced: args.fenced ?? true,
  async beforeRecording(
    partition: number,
    fires: readonly { idempotencyKey: string; payload: unknown }[],
  ) {
    const marked = fires.filter(
      (f) =>
        (f.payload as { holdBeforeRecording?: boolean } | null)?.holdBeforeRecording === true &&
        !held.has(f.idempotencyKey),
    );
    if (marked.length === 0 || !args.holdMs) return;
    for (const f of marked) held.add(f.idempotencyKey);
    reply({ recording: { partition, keys: marked.map((f) => f.idempotencyKey) } });
    await delay(args.holdMs);
  },
  onFencedOut: (partition: number, step: string, fires: number) =>
    reply({ fencedOut: { partition, step, fires } }),
};

async function main(): Promise<void> {
  let owned: () => OwnedPartitions = () => new Map();
  if (args.mode === 'assigned') {
    const assigner = new PartitionAssigner({
      redis,
      namespace: 'scheduler',
      epochs: new PostgresEpochs(pool),
      group: JOBS_GROUP,
      memberId: args.memberId,
      partitions: args.partitions,
      leaseMs: args.leaseMs,
      heartbeatMs: Math.max(50, Math.floor(args.leaseMs / 4)),
      onError: (error) => reply({ error: String(error) }),
    });
    assigner.onChange((now) => reply({ owned: [...now.keys()].sort((a, b) => a - b) }));
    await assigner.start();
    owned = () => assigner.owned();
  }
  const firer = new SchedulerFirer({
    owned,
    pass: args.mode === 'assigned' ? new FirePass(options) : new NaiveFirePass(options),
    pollMs: args.pollMs,
    onPass: (r) => {
      if (r.claimed + r.redelivered > 0) {
        reply({ pass: { claimed: r.claimed, delivered: r.delivered, redelivered: r.redelivered } });
      }
    },
    onError: (error) => reply({ error: String(error) }),
  });
  firer.start();
  reply({ ready: args.memberId, owned: [...owned().keys()].sort((a, b) => a - b) });
}

main().catch((error: unknown) => {
  reply({ error: String(error) });
  process.exit(1);
});
