import { createTestDatabase, type TestDatabase } from '@suite/testing';
import { FakeClock } from '../../clock/fake-clock';
import type { SqlExecutor } from '../../ports/sql-executor';
import { poolTransactionRunner } from '../../ports/transaction-runner';
import type { SagaCommandEnvelope, SagaDefinition, SagaOutbox, SagaReply } from './saga.definition';
import { SagaOrchestrator } from './saga.orchestrator';
import { applySagaMigrations } from './saga.store';

// The orchestrator against the real Postgres. Commands land in a table written in the
// orchestrator's own transaction (the role the outbox plays in production); the test plays
// the participants by reading that table and replying.
describe('saga orchestrator on Postgres', () => {
  let db: TestDatabase;
  let clock: FakeClock;
  let orchestrator: SagaOrchestrator;
  const retry = { maxAttempts: 2, initialBackoffMs: 50, maxBackoffMs: 50 };
  const cmd = (type: string) => (ctx: Record<string, unknown>) => ({
    topic: 'participants',
    type,
    payload: { order: ctx['order'] },
  });
  const definition: SagaDefinition<Record<string, unknown>> = {
    type: 'checkout',
    replyTopic: 'checkout.replies',
    steps: [
      { name: 'verify-hold', action: cmd('VerifyHold'), timeoutMs: 1_000, retry },
      {
        name: 'capture',
        action: cmd('Capture'),
        compensation: cmd('Refund'),
        timeoutMs: 1_000,
        retry,
      },
      {
        name: 'confirm-seats',
        action: cmd('ConfirmSeats'),
        compensation: cmd('ReleaseSeats'),
        timeoutMs: 1_000,
        retry,
      },
    ],
  };

  const outbox: SagaOutbox = async (sql, topic, message) => {
    await sql.query('insert into sent_commands (topic, key, value) values ($1, $2, $3)', [
      topic,
      message.key,
      message.value,
    ]);
  };
  const sent = async (sagaId: string): Promise<SagaCommandEnvelope[]> => {
    const { rows } = await db.pool.query<{ value: string }>(
      'select value from sent_commands where key = $1 order by id',
      [sagaId],
    );
    return rows.map((r) => JSON.parse(r.value) as SagaCommandEnvelope);
  };
  const lastSent = async (sagaId: string) => (await sent(sagaId)).at(-1);
  const replyTo = async (
    c: SagaCommandEnvelope | undefined,
    outcome: SagaReply['outcome'],
    extra: Partial<SagaReply> = {},
  ) => {
    if (!c) throw new Error('no command to reply to');
    return poolTransactionRunner(db.pool).inTransaction((sql: SqlExecutor) =>
      orchestrator.handleReply(sql, {
        sagaId: c.sagaId,
        step: c.step,
        phase: c.phase,
        attempt: c.attempt,
        outcome,
        ...extra,
      }),
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase('saga orchestrator');
    await applySagaMigrations(db.pool);
    await db.pool.query(
      'create table sent_commands (id bigserial primary key, topic text, key text, value text)',
    );
  });
  afterAll(() => db.drop());
  beforeEach(() => {
    clock = new FakeClock(Date.parse('2026-11-27T00:00:00Z'));
    orchestrator = new SagaOrchestrator({
      tx: poolTransactionRunner(db.pool),
      outbox,
      clock,
    }).register(definition);
  });

  it('completes a saga step by step, each command carrying the saga id and step as its idempotency key', async () => {
    expect(await orchestrator.start('checkout', 'saga-ok', { order: 'o-1' })).toEqual({
      started: true,
    });
    await replyTo(await lastSent('saga-ok'), 'succeeded');
    await replyTo(await lastSent('saga-ok'), 'succeeded', { data: { paymentId: 'pay-1' } });
    await replyTo(await lastSent('saga-ok'), 'succeeded');

    const commands = await sent('saga-ok');
    expect(commands.map((c) => [c.type, c.idempotencyKey])).toEqual([
      ['VerifyHold', 'saga-ok:verify-hold'],
      ['Capture', 'saga-ok:capture'],
      ['ConfirmSeats', 'saga-ok:confirm-seats'],
    ]);
    const view = await orchestrator.get(db.pool, 'saga-ok');
    expect(view).toMatchObject({
      status: 'completed',
      context: { order: 'o-1', paymentId: 'pay-1' },
    });
    expect(view?.history.map((h) => h.event)).toEqual([
      'started',
      'step-started',
      'step-succeeded',
      'step-started',
      'step-succeeded',
      'step-started',
      'step-succeeded',
      'completed',
    ]);
  });

  it('starts a saga id only once', async () => {
    await orchestrator.start('checkout', 'saga-twice', { order: 'o-2' });
    expect(await orchestrator.start('checkout', 'saga-twice', { order: 'o-2' })).toEqual({
      started: false,
      reason: 'already-exists',
    });
    expect(await sent('saga-twice')).toHaveLength(1);
  });

  it('undoes only the steps that took effect, newest first, when the last step fails', async () => {
    await orchestrator.start('checkout', 'saga-undo', { order: 'o-3' });
    await replyTo(await lastSent('saga-undo'), 'succeeded');
    await replyTo(await lastSent('saga-undo'), 'succeeded');
    await replyTo(await lastSent('saga-undo'), 'failed', { reason: 'seat sold' });
    // confirm-seats reported failure, so only capture is undone
    expect((await lastSent('saga-undo'))?.type).toBe('Refund');
    await replyTo(await lastSent('saga-undo'), 'succeeded');
    expect((await orchestrator.get(db.pool, 'saga-undo'))?.status).toBe('compensated');
    expect((await sent('saga-undo')).map((c) => c.type)).toEqual([
      'VerifyHold',
      'Capture',
      'ConfirmSeats',
      'Refund',
    ]);
  });

  it('resends a step whose reply never came, then undoes it when every attempt times out', async () => {
    await orchestrator.start('checkout', 'saga-silent', { order: 'o-4' });
    await replyTo(await lastSent('saga-silent'), 'succeeded'); // capture sent, never answered
    clock.advance(1_000);
    await orchestrator.processDue(); // attempt 1 timed out: back off
    clock.advance(50);
    await orchestrator.processDue(); // attempt 2 sent
    const resent = await lastSent('saga-silent');
    expect(resent).toMatchObject({
      type: 'Capture',
      attempt: 2,
      idempotencyKey: 'saga-silent:capture',
    });
    clock.advance(1_000);
    await orchestrator.processDue(); // attempt 2 timed out: give up, undo capture itself
    expect((await lastSent('saga-silent'))?.type).toBe('Refund');
    await replyTo(await lastSent('saga-silent'), 'succeeded');
    expect((await orchestrator.get(db.pool, 'saga-silent'))?.status).toBe('compensated');
  });

  it('ignores a redelivered reply for a step already passed', async () => {
    await orchestrator.start('checkout', 'saga-dup', { order: 'o-5' });
    const verify = await lastSent('saga-dup');
    expect(await replyTo(verify, 'succeeded')).toEqual({ applied: true, localStep: false });
    expect(await replyTo(verify, 'succeeded')).toEqual({
      applied: false,
      reason: 'stale reply for action verify-hold',
    });
    expect((await sent('saga-dup')).map((c) => c.type)).toEqual(['VerifyHold', 'Capture']);
  });

  it("starts inside the caller's transaction, so a rolled-back order leaves no saga and no command", async () => {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      expect(
        await orchestrator.startIn(client, 'checkout', 'saga-in-tx', { order: 'o-7' }),
      ).toEqual({ started: true });
      await client.query('rollback');
    } finally {
      client.release();
    }
    expect(await orchestrator.get(db.pool, 'saga-in-tx')).toBeUndefined();
    expect(await sent('saga-in-tx')).toEqual([]);
  });

  it('writes no state change without its command: a failing outbox rolls both back', async () => {
    const broken = new SagaOrchestrator({
      tx: poolTransactionRunner(db.pool),
      outbox: async () => {
        throw new Error('outbox unavailable');
      },
      clock,
    }).register(definition);
    await expect(broken.start('checkout', 'saga-atomic', { order: 'o-6' })).rejects.toThrow(
      'outbox unavailable',
    );
    expect(await orchestrator.get(db.pool, 'saga-atomic')).toBeUndefined();
  });

  // A saga whose row no longer fits its definition (here: a step the definition lacks) makes
  // every wake-up throw. It must not hold back the other instances' timeouts.
  const poison = (sagaId: string) =>
    db.pool.query('update saga_instances set step_index = 99 where id = $1', [sagaId]);

  it("applies every other saga's timeout when one instance's wake-up throws, and quarantines it after three failures", async () => {
    const quarantined: string[] = [];
    const watched = new SagaOrchestrator({
      tx: poolTransactionRunner(db.pool),
      outbox,
      clock,
      onQuarantined: (id) => quarantined.push(id),
    }).register(definition);
    await watched.start('checkout', 'saga-poisoned', { order: 'o-8' });
    await watched.start('checkout', 'saga-healthy', { order: 'o-9' });
    await poison('saga-poisoned');

    clock.advance(1_000);
    await watched.processDue(); // both due: the healthy one times out and backs off
    expect(await orchestrator.get(db.pool, 'saga-healthy')).toMatchObject({ waiting: 'retry' });
    clock.advance(50);
    await watched.processDue(); // the healthy one is resent
    expect(await lastSent('saga-healthy')).toMatchObject({ type: 'VerifyHold', attempt: 2 });

    // Failures in a row push the poisoned one's next try back, then set it aside.
    for (let round = 0; round < 3; round++) {
      clock.advance(10_000);
      await watched.processDue();
    }
    const row = await db.pool.query(
      'select quarantined_at, quarantine_reason, status from saga_instances where id = $1',
      ['saga-poisoned'],
    );
    expect(row.rows[0]).toMatchObject({ status: 'running' });
    expect(row.rows[0].quarantined_at).not.toBeNull();
    expect(row.rows[0].quarantine_reason).toMatch(/no step 99/);
    expect(quarantined).toEqual(['saga-poisoned']);
    const { rows: history } = await db.pool.query(
      "select count(*)::int as n from saga_history where saga_id = $1 and event = 'quarantined'",
      ['saga-poisoned'],
    );
    expect(history[0].n).toBe(1);

    // Quarantined: skipped, until a person releases it.
    clock.advance(60_000);
    expect(await watched.processDue()).toBeGreaterThanOrEqual(0);
    await db.pool.query('update saga_instances set step_index = 0 where id = $1', [
      'saga-poisoned',
    ]);
    expect(await watched.releaseQuarantined('saga-poisoned')).toBe(true);
    await watched.processDue();
    expect(await orchestrator.get(db.pool, 'saga-poisoned')).toMatchObject({
      status: 'running',
      quarantinedAt: null,
    });
  });

  it('quarantines a saga whose reply cannot be applied instead of failing the reply forever', async () => {
    await orchestrator.start('checkout', 'saga-bad-reply', { order: 'o-10' });
    const verify = await lastSent('saga-bad-reply');
    await poison('saga-bad-reply');
    // The reply's transaction commits (Kafka moves on); the saga is set aside for a person.
    expect(await replyTo(verify, 'succeeded')).toEqual({
      applied: false,
      reason: 'saga is quarantined',
    });
    expect(await orchestrator.get(db.pool, 'saga-bad-reply')).toMatchObject({
      quarantineReason: expect.stringMatching(/reply to action verify-hold failed/),
    });
    expect(await replyTo(verify, 'succeeded')).toEqual({
      applied: false,
      reason: 'saga is quarantined',
    });
  });

  it('ignores the late reply of an earlier attempt once the step was resent', async () => {
    await orchestrator.start('checkout', 'saga-late', { order: 'o-11' });
    const first = await lastSent('saga-late');
    clock.advance(1_000);
    await orchestrator.processDue(); // attempt 1 timed out
    clock.advance(50);
    await orchestrator.processDue(); // attempt 2 sent
    const second = await lastSent('saga-late');
    expect(second?.attempt).toBe(2);
    expect(await replyTo(first, 'failed', { retriable: true })).toEqual({
      applied: false,
      reason: 'stale reply to attempt 1 of action verify-hold',
    });
    expect(await replyTo(second, 'succeeded')).toEqual({ applied: true, localStep: false });
  });
});
