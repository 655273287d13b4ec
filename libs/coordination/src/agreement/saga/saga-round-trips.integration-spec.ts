import { createTestDatabase, type TestDatabase } from '@suite/testing';
import { randomUUID } from 'node:crypto';
import { FakeClock } from '../../clock/fake-clock';
import { poolTransactionRunner } from '../../ports/transaction-runner';
import { applySuppressionMigrations } from '../../suppression/schema/migrations';
import { applyOutboxMigrations, outboxWriter } from '../outbox/outbox-writer';
import type { SagaCommandEnvelope, SagaReply } from './saga.definition';
import { applySagaReply } from './saga.messages';
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
    poolTransactionRunner(log).inTransaction(async (sql) => {
      for (const reply of replies) {
        await applySagaReply(sql, orchestrator, REPLY_INBOX, randomUUID(), JSON.stringify(reply));
      }
    });
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

  it('starts a saga (row, history and first command)', async () => {
    await orchestrator.start('local-steps', 'rt-start', { order: 'o' });
    expect(log.take()).toEqual([5]);
  });

  it('runs a local step through drive(), and stops at the remote one', async () => {
    await orchestrator.start('local-steps', 'rt-drive', { order: 'o' });
    log.take();
    expect(await orchestrator.drive('rt-drive')).toBe(1);
    expect(log.take()).toEqual([6, 3]);
  });

  it('applies one reply in its own transaction', async () => {
    const charge = await atCharge('rt-reply');
    await applyBatch([replyTo(charge)]);
    expect(log.take()).toEqual([8]);
  });

  it('applies a batch of three replies in one transaction', async () => {
    const charges = [
      await atCharge('rt-batch-1'),
      await atCharge('rt-batch-2'),
      await atCharge('rt-batch-3'),
    ];
    await applyBatch(charges.map(replyTo));
    expect(log.take()).toEqual([20]);
  });

  it('runs the last local step after a reply, ending the saga', async () => {
    const charge = await atCharge('rt-last');
    await applyBatch([replyTo(charge)]);
    log.take();
    expect(await orchestrator.drive('rt-last')).toBe(1);
    expect(log.take()).toEqual([5, 3]);
    expect((await orchestrator.get(db.pool, 'rt-last'))?.status).toBe('completed');
  });

  it('applies a wake-up: a reply deadline passed, then the retry sent', async () => {
    await atCharge('rt-wake');
    clock.advance(1_001);
    expect(await orchestrator.processDue()).toBe(1);
    // The scan, then the deadline applied (the retry's backoff begins).
    expect(log.take()).toEqual([3, 4, 3]);
    clock.advance(51);
    expect(await orchestrator.processDue()).toBe(1);
    // The scan, then the second attempt's command sent.
    expect(log.take()).toEqual([3, 5, 3]);
    expect((await lastCommand('rt-wake')).attempt).toBe(2);
  });
});
