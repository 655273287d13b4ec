import { createTestDatabase, type TestDatabase } from '@suite/testing';
import { randomUUID } from 'node:crypto';
import { FakeClock } from '../../clock/fake-clock';
import { poolTransactionRunner } from '../../ports/transaction-runner';
import { applySuppressionMigrations } from '../../suppression/schema/migrations';
import {
  OUTBOX_WAKEUP_CHANNEL,
  applyOutboxMigrations,
  outboxWriter,
} from '../outbox/outbox-writer';
import type { SagaCommandEnvelope, SagaDefinition, SagaReply } from './saga.definition';
import { applySagaReplies, applySagaReply } from './saga.messages';
import { SagaOrchestrator } from './saga.orchestrator';
import { applySagaMigrations } from './saga.store';
import { LOCAL_INBOX, LOCAL_TOPIC, localStepSaga } from './testing/local-step-saga';
import { StatementLog } from './testing/statement-log';

// Round trips per transaction on each saga path, pinned. Under load a transaction's
// connection waits on the service between statements (about one event-loop delay each), so
// these counts set how long each saga step holds its connection and its saga row lock. The
// handlers here run no statement of their own: the counts are the library's. Each figure is
// one transaction, BEGIN and COMMIT included.
describe('round trips per saga transaction', () => {
  let db: TestDatabase;
  let log: StatementLog;
  let clock: FakeClock;
  let orchestrator: SagaOrchestrator;
  const REPLY_INBOX = 'orchestrator-replies';

  const succeed = async () => ({ outcome: 'succeeded' as const });
  const handlers = { Reserve: succeed, Unreserve: succeed, Confirm: succeed };

  const lastCommand = async (sagaId: string): Promise<SagaCommandEnvelope> => {
    const { rows } = await db.pool.query<{ payload: string }>(
      'select payload from outbox_messages where aggregate_key = $1 order by id desc limit 1',
      [sagaId],
    );
    if (!rows[0]) throw new Error(`saga ${sagaId} sent nothing`);
    return JSON.parse(rows[0].payload) as SagaCommandEnvelope;
  };
  const replyTo = (command: SagaCommandEnvelope): SagaReply => ({
    sagaId: command.sagaId,
    step: command.step,
    phase: command.phase,
    attempt: command.attempt,
    outcome: 'succeeded',
  });
  // What the reply consumer does with a partition's fetched replies: all of them in one
  // transaction, each through its own inbox record.
  const applyBatch = (replies: SagaReply[]) =>
    applySagaReplies(
      poolTransactionRunner(log),
      orchestrator,
      REPLY_INBOX,
      replies.map((reply) => ({ messageId: randomUUID(), raw: JSON.stringify(reply) })),
    );
  // A saga started and driven up to its remote step (charge), the log emptied.
  const atCharge = async (sagaId: string) => {
    await orchestrator.start('local-steps', sagaId, { order: sagaId });
    await orchestrator.drive(sagaId);
    log.take();
    return lastCommand(sagaId);
  };

  beforeAll(async () => {
    db = await createTestDatabase('saga round trips');
    await applySuppressionMigrations(db.pool);
    await applyOutboxMigrations(db.pool);
    await applySagaMigrations(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    // Each test counts only its own sagas' wake-ups.
    await db.pool.query('truncate saga_history, saga_instances');
    log = new StatementLog(db.pool);
    clock = new FakeClock(Date.parse('2026-12-01T00:00:00Z'));
    orchestrator = new SagaOrchestrator({
      tx: poolTransactionRunner(log),
      outbox: outboxWriter(),
      clock,
      localParticipants: [{ topic: LOCAL_TOPIC, inboxConsumer: LOCAL_INBOX, handlers }],
    }).register(localStepSaga());
  });

  it('starts a saga (row, history and first command) in one statement', async () => {
    await orchestrator.start('local-steps', 'rt-start', { order: 'o' });
    expect(log.take()).toEqual([3]);
    // A repeated start writes nothing: no second command.
    await orchestrator.start('local-steps', 'rt-start', { order: 'o' });
    const { rows } = await db.pool.query<{ n: number }>(
      `select (select count(*) from outbox_messages where aggregate_key = 'rt-start')::int
            + (select count(*) from saga_history where saga_id = 'rt-start')::int as n`,
    );
    expect(rows[0]?.n).toBe(3);
  });

  it("wakes the shard's relay from the statement that writes the command", async () => {
    const listener = await db.pool.connect();
    try {
      await listener.query(`listen ${OUTBOX_WAKEUP_CHANNEL}`);
      const woken = new Promise<string | undefined>((resolve) =>
        listener.once('notification', (n) => resolve(n.payload)),
      );
      const waking = new SagaOrchestrator({
        tx: poolTransactionRunner(log),
        outbox: outboxWriter({ wakeup: true, shardCount: 1 }),
        clock,
      }).register(localStepSaga());
      await waking.start('local-steps', 'rt-wakeup', { order: 'o' });
      expect(log.take()).toEqual([3]);
      expect(await woken).toBe('0');
    } finally {
      listener.release();
    }
  });

  it('runs a local step through drive(), and stops at the remote one', async () => {
    await orchestrator.start('local-steps', 'rt-drive', { order: 'o' });
    log.take();
    expect(await orchestrator.drive('rt-drive')).toBe(1);
    // The saga row, the inbox record, the decision: no transaction to find the next is remote.
    expect(log.take()).toEqual([5]);
  });

  it('applies one reply in its own transaction', async () => {
    const charge = await atCharge('rt-reply');
    expect(await applyBatch([replyTo(charge)])).toEqual([
      { kind: 'processed', result: { applied: true, localStep: true } },
    ]);
    // The inbox record with the saga's lock, then the decision.
    expect(log.take()).toEqual([4]);
  });

  it("applies one reply in the caller's transaction, with a savepoint to quarantine it", async () => {
    const charge = await atCharge('rt-one');
    await poolTransactionRunner(log).inTransaction((sql) =>
      applySagaReply(sql, orchestrator, REPLY_INBOX, randomUUID(), JSON.stringify(replyTo(charge))),
    );
    expect(log.take()).toEqual([6]);
  });

  it('applies a batch of three replies in one transaction', async () => {
    const charges = [
      await atCharge('rt-batch-1'),
      await atCharge('rt-batch-2'),
      await atCharge('rt-batch-3'),
    ];
    await applyBatch(charges.map(replyTo));
    expect(log.take()).toEqual([8]);
  });

  it('runs the last local step after a reply, ending the saga', async () => {
    const charge = await atCharge('rt-last');
    await applyBatch([replyTo(charge)]);
    log.take();
    expect(await orchestrator.drive('rt-last')).toBe(1);
    expect(log.take()).toEqual([5]);
    expect((await orchestrator.get(db.pool, 'rt-last'))?.status).toBe('completed');
  });

  it('applies a wake-up: a reply deadline passed, then the retry sent', async () => {
    await atCharge('rt-wake');
    clock.advance(1_001);
    expect(await orchestrator.processDue()).toBe(1);
    // The scan, then the deadline applied (the retry's backoff begins).
    expect(log.take()).toEqual([3, 4]);
    clock.advance(51);
    expect(await orchestrator.processDue()).toBe(1);
    // The scan, then the second attempt's command sent.
    expect(log.take()).toEqual([3, 4]);
    expect((await lastCommand('rt-wake')).attempt).toBe(2);
  });

  // Without savepoints, one reply that throws would fail its whole batch on every delivery
  // and block the partition: the batch is then run again with them.
  it('quarantines the replies of a batch that throw, in code or in Postgres, and applies the others', async () => {
    const quarantined: string[] = [];
    const poisoned: SagaDefinition<Record<string, unknown>> = {
      ...localStepSaga(),
      type: 'poisoned',
      steps: localStepSaga().steps.map((step) =>
        step.name === 'confirm'
          ? {
              ...step,
              action: (ctx) => {
                if (ctx['throws']) throw new Error('the definition cannot build its command');
                return step.action(ctx);
              },
            }
          : step,
      ),
    };
    orchestrator = new SagaOrchestrator({
      tx: poolTransactionRunner(log),
      outbox: outboxWriter(),
      clock,
      localParticipants: [{ topic: LOCAL_TOPIC, inboxConsumer: LOCAL_INBOX, handlers }],
      onQuarantined: (id) => quarantined.push(id),
    }).register(poisoned);
    const charged = async (sagaId: string, context: Record<string, unknown>) => {
      await orchestrator.start('poisoned', sagaId, { order: sagaId, ...context });
      await orchestrator.drive(sagaId);
      return replyTo(await lastCommand(sagaId));
    };
    const good = await charged('rt-good', {});
    const inCode = await charged('rt-in-code', { throws: true });
    // Postgres refuses a NUL character in jsonb: the decision's own statement fails.
    const inPostgres = { ...(await charged('rt-in-postgres', {})), data: { note: 'a\u0000b' } };
    const after = await charged('rt-after', {});
    const outcomes = await applyBatch([good, inCode, inPostgres, after]);
    expect(outcomes.map((o) => o.kind === 'processed' && o.result)).toEqual([
      { applied: true, localStep: true },
      { applied: false, reason: 'saga is quarantined' },
      { applied: false, reason: 'saga is quarantined' },
      { applied: true, localStep: true },
    ]);
    expect(quarantined).toEqual(['rt-in-code', 'rt-in-postgres']);
    const { rows } = await db.pool.query<{ id: string; step_index: number; quarantined: boolean }>(
      `select id, step_index, quarantined_at is not null as quarantined from saga_instances
        where id like 'rt-%' order by id`,
    );
    expect(rows).toEqual([
      { id: 'rt-after', step_index: 2, quarantined: false },
      { id: 'rt-good', step_index: 2, quarantined: false },
      { id: 'rt-in-code', step_index: 1, quarantined: true },
      { id: 'rt-in-postgres', step_index: 1, quarantined: true },
    ]);
  });
});
