import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { poolTransactionRunner } from '../../ports/transaction-runner';
import { applyFencingSchema, PostgresEpochs } from '../../selection/epochs';
import { FencedHolds } from '../../selection/fenced-holds';
import type { SagaDefinition, SagaOutbox } from './saga.definition';
import { SagaOrchestrator } from './saga.orchestrator';
import { SagaRecoverer } from './saga.recoverer';
import { applySagaMigrations } from './saga.store';

// Participants never answer here, so only the recoverer moves the sagas on: through the
// retries and then the compensation of the silent step. Two recoverers compete for the
// lease; one drives the sagas, and after it resigns the other finishes the job.
describe('saga recoverer on a lease', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  const retry = { maxAttempts: 2, initialBackoffMs: 100, maxBackoffMs: 100 };
  const cmd = (type: string) => () => ({ topic: 'participants', type, payload: {} });
  const definition: SagaDefinition<Record<string, unknown>> = {
    type: 'silent-checkout',
    replyTopic: 'replies',
    steps: [
      {
        name: 'capture',
        action: cmd('Capture'),
        compensation: cmd('Refund'),
        timeoutMs: 200,
        retry,
      },
    ],
  };
  const outbox: SagaOutbox = async (sql, topic, message) => {
    await sql.query('insert into sent (topic, value) values ($1, $2)', [topic, message.value]);
  };

  beforeAll(async () => {
    db = await createTestDatabase('saga recoverer');
    redis = createTestRedis('saga recoverer');
    await applySagaMigrations(db.pool);
    await applyFencingSchema(db.pool);
    await db.pool.query('create table sent (id bigserial primary key, topic text, value text)');
  });
  afterAll(async () => {
    await redis.cleanup();
    await db.drop();
  });

  it('drives due sagas from the lease holder only, and hands over when it resigns', async () => {
    const orchestrator = new SagaOrchestrator({
      tx: poolTransactionRunner(db.pool),
      outbox,
    }).register(definition);
    const processed: Record<string, number> = { a: 0, b: 0 };
    const recoverer = (owner: 'a' | 'b') =>
      new SagaRecoverer(orchestrator, {
        holds: new FencedHolds({
          namespace: 'test-service',
          redis: redis.connect(),
          epochs: new PostgresEpochs(db.pool),
        }),
        name: 'checkout',
        owner,
        ttlMs: 1_500,
        intervalMs: 50,
        onProcessed: (count) => (processed[owner] = (processed[owner] ?? 0) + count),
      });
    const a = recoverer('a');
    const b = recoverer('b');
    a.start();
    const deadline = Date.now() + 10_000;
    while (!a.isLeading() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    b.start();

    // Waits until the silent step gave up and its compensation began.
    const compensationStarted = async (sagaId: string) => {
      const until = Date.now() + 10_000;
      for (;;) {
        const view = await orchestrator.get(db.pool, sagaId);
        if (view?.history.some((h) => h.event === 'compensation-started')) return view;
        if (Date.now() > until) throw new Error(`${sagaId} never started compensating`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    await orchestrator.start('silent-checkout', 'first', {});
    expect((await compensationStarted('first')).history.map((h) => h.event)).toEqual(
      expect.arrayContaining([
        'attempt-timed-out',
        'attempt-started',
        'step-gave-up',
        'compensation-started',
      ]),
    );
    expect(processed['a']).toBeGreaterThan(0);
    expect(processed['b']).toBe(0);

    await a.stop();
    await orchestrator.start('silent-checkout', 'second', {});
    await compensationStarted('second');
    expect(processed['b']).toBeGreaterThan(0);
    await b.stop();
  });
});
