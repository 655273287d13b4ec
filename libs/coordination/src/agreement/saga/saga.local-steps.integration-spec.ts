import { join } from 'node:path';
import { once } from 'node:events';
import { createTestDatabase, forkTs, nextMessage, type TestDatabase } from '@suite/testing';
import { FakeClock } from '../../clock/fake-clock';
import { poolTransactionRunner } from '../../ports/transaction-runner';
import { applySuppressionMigrations } from '../../suppression/schema/migrations';
import { applyOutboxMigrations } from '../outbox/outbox-writer';
import type { SagaCommandEnvelope } from './saga.definition';
import { handleSagaCommand, type SagaCommandHandler } from './saga.messages';
import { SagaOrchestrator } from './saga.orchestrator';
import { applySagaMigrations } from './saga.store';
import {
  LOCAL_INBOX,
  LOCAL_TOPIC,
  SENT_COMMANDS_DDL,
  localStepSaga,
  recordOutbox,
} from './testing/local-step-saga';

const WORKER = join(__dirname, 'testing', 'local-step.worker.ts');

// drive(): the orchestrator runs a local participant's steps right after the decision that
// sent them commits, while the command also goes out through the outbox. The participant's
// consumer is played here by handleSagaCommand, the function it calls for each message.
describe('saga local steps (drive) on Postgres', () => {
  let db: TestDatabase;
  let clock: FakeClock;
  let orchestrator: SagaOrchestrator;
  let failNext: number;
  let localErrors: string[];

  // Each run of a step's effect is a row: a step applied twice shows as two.
  const effect: SagaCommandHandler = async (tx, command) => {
    if (failNext > 0) {
      failNext -= 1;
      throw new Error('the participant broke');
    }
    await tx.query('insert into effects (idempotency_key) values ($1)', [command.idempotencyKey]);
    return { outcome: 'succeeded' };
  };
  const handlers = { Reserve: effect, Unreserve: effect, Confirm: effect };

  const tx = () => poolTransactionRunner(db.pool);
  const sent = async (sagaId: string): Promise<(SagaCommandEnvelope & { topic: string })[]> => {
    const { rows } = await db.pool.query<{ topic: string; value: string }>(
      'select topic, value from sent_commands where key = $1 order by id',
      [sagaId],
    );
    return rows.map((r) => ({ ...(JSON.parse(r.value) as SagaCommandEnvelope), topic: r.topic }));
  };
  const effects = async (sagaId: string) =>
    (
      await db.pool.query<{ idempotency_key: string }>(
        'select idempotency_key from effects where idempotency_key like $1 order by id',
        [`${sagaId}:%`],
      )
    ).rows.map((r) => r.idempotency_key);
  const state = async (sagaId: string) => {
    const view = await orchestrator.get(db.pool, sagaId);
    return (
      view && { status: view.status, step: view.step, attempt: view.attempt, waiting: view.waiting }
    );
  };
  // What the participant's Kafka consumer does with a command: the step through its inbox,
  // then (standing in for the reply's trip back) the reply applied and the saga driven on.
  const overKafka = async (command: SagaCommandEnvelope) => {
    const outcome = await tx().inTransaction((sql) =>
      handleSagaCommand(sql, LOCAL_INBOX, command, effect),
    );
    if (outcome.kind === 'processed') {
      await tx().inTransaction((sql) =>
        orchestrator.handleReply(sql, {
          sagaId: command.sagaId,
          step: command.step,
          phase: command.phase,
          attempt: command.attempt,
          ...outcome.result,
        }),
      );
      await orchestrator.drive(command.sagaId);
    }
    return outcome.kind;
  };
  const replyToCharge = async (sagaId: string, outcome: 'succeeded' | 'failed') => {
    const charge = (await sent(sagaId)).find((c) => c.type === 'Charge');
    if (!charge) throw new Error('no Charge command was sent');
    await tx().inTransaction((sql) =>
      orchestrator.handleReply(sql, {
        sagaId,
        step: 'charge',
        phase: 'action',
        attempt: charge.attempt,
        outcome,
      }),
    );
    return orchestrator.drive(sagaId);
  };

  beforeAll(async () => {
    db = await createTestDatabase('saga local steps');
    await applySuppressionMigrations(db.pool);
    await applyOutboxMigrations(db.pool);
    await applySagaMigrations(db.pool);
    await db.pool.query(SENT_COMMANDS_DDL);
  });
  afterAll(() => db.drop());
  beforeEach(() => {
    failNext = 0;
    localErrors = [];
    clock = new FakeClock(Date.parse('2026-11-30T00:00:00Z'));
    orchestrator = new SagaOrchestrator({
      tx: tx(),
      outbox: recordOutbox,
      clock,
      localParticipants: [{ topic: LOCAL_TOPIC, inboxConsumer: LOCAL_INBOX, handlers }],
      onLocalStepError: (sagaId) => localErrors.push(sagaId),
    }).register(localStepSaga());
  });

  it('runs local steps in-process up to the remote one, and on again after its reply', async () => {
    await orchestrator.start('local-steps', 'l-1', { order: 'o-1' });
    expect(await orchestrator.drive('l-1')).toBe(1);
    expect(await state('l-1')).toEqual({
      status: 'running',
      step: 'charge',
      attempt: 1,
      waiting: 'reply',
    });
    expect(await replyToCharge('l-1', 'succeeded')).toBe(1);
    expect(await state('l-1')).toMatchObject({ status: 'completed' });
    expect(await effects('l-1')).toEqual(['l-1:reserve', 'l-1:confirm']);
    // Every command still went out through the outbox, the local ones included.
    expect((await sent('l-1')).map((c) => c.type)).toEqual(['Reserve', 'Charge', 'Confirm']);
    // Their copies from Kafka, arriving afterwards, are no-ops.
    for (const command of (await sent('l-1')).filter((c) => c.topic === LOCAL_TOPIC)) {
      expect(await overKafka(command)).toBe('duplicate');
    }
    expect(await effects('l-1')).toEqual(['l-1:reserve', 'l-1:confirm']);
  });

  it('runs nothing when the consumer ran the step first, and the step took effect once', async () => {
    await orchestrator.start('local-steps', 'l-2', { order: 'o-2' });
    const [reserve] = await sent('l-2');
    if (!reserve) throw new Error('no command sent');
    expect(await overKafka(reserve)).toBe('processed');
    expect(await orchestrator.drive('l-2')).toBe(0);
    expect(await state('l-2')).toMatchObject({ step: 'charge', waiting: 'reply' });
    expect(await effects('l-2')).toEqual(['l-2:reserve']);
  });

  it('compensates a failed remote step with the local undo, run in-process', async () => {
    await orchestrator.start('local-steps', 'l-3', { order: 'o-3' });
    await orchestrator.drive('l-3');
    expect(await replyToCharge('l-3', 'failed')).toBe(1);
    expect(await state('l-3')).toMatchObject({ status: 'compensated' });
    expect(await effects('l-3')).toEqual(['l-3:reserve', 'l-3:reserve:compensation']);
  });

  it('leaves a local step that throws to the Kafka path: rolled back, reported, then run once', async () => {
    await orchestrator.start('local-steps', 'l-4', { order: 'o-4' });
    failNext = 1;
    expect(await orchestrator.drive('l-4')).toBe(0);
    expect(localErrors).toEqual(['l-4']);
    expect(await effects('l-4')).toEqual([]);
    expect(await state('l-4')).toMatchObject({ step: 'reserve', attempt: 1, waiting: 'reply' });
    const [reserve] = await sent('l-4');
    if (!reserve) throw new Error('no command sent');
    expect(await overKafka(reserve)).toBe('processed');
    expect(await state('l-4')).toMatchObject({ step: 'charge', waiting: 'reply' });
    expect(await effects('l-4')).toEqual(['l-4:reserve']);
  });

  it('runs the retry of a timed-out local step in-process when the recoverer wakes the saga', async () => {
    await orchestrator.start('local-steps', 'l-5', { order: 'o-5' });
    failNext = 1;
    await orchestrator.drive('l-5');
    clock.advance(1_001);
    await orchestrator.processDue();
    expect(await state('l-5')).toMatchObject({ step: 'reserve', waiting: 'retry' });
    clock.advance(51);
    await orchestrator.processDue();
    expect(await state('l-5')).toMatchObject({ step: 'charge', attempt: 1, waiting: 'reply' });
    expect(await effects('l-5')).toEqual(['l-5:reserve']);
    expect((await sent('l-5')).map((c) => [c.type, c.attempt])).toEqual([
      ['Reserve', 1],
      ['Reserve', 2],
      ['Charge', 1],
    ]);
  });

  it('wakes a waiter in this process when drive() commits a change', async () => {
    await orchestrator.start('local-steps', 'l-6', { order: 'o-6' });
    const started = Date.now();
    const changed = orchestrator.changed('l-6', 5_000);
    await orchestrator.drive('l-6');
    await changed;
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('kill -9 inside a local step: none of it commits, and the outbox copy of the command runs it once', async () => {
    const child = forkTs(WORKER, [db.url, 'l-7']);
    const exited = once(child, 'exit');
    await nextMessage(child, (m: { type: string }) => m.type === 'in-step');
    const [, signal] = (await exited) as [number | null, string | null];
    expect(signal).toBe('SIGKILL');
    // The step's effect and its inbox record rolled back with the process.
    expect(await effects('l-7')).toEqual([]);
    expect(await state('l-7')).toEqual({
      status: 'running',
      step: 'reserve',
      attempt: 1,
      waiting: 'reply',
    });
    const [reserve] = await sent('l-7');
    if (!reserve) throw new Error('the saga and its command did not commit before the step');
    expect(await overKafka(reserve)).toBe('processed');
    expect(await replyToCharge('l-7', 'succeeded')).toBe(1);
    expect(await state('l-7')).toMatchObject({ status: 'completed' });
    expect(await effects('l-7')).toEqual(['l-7:reserve', 'l-7:confirm']);
  });
});
