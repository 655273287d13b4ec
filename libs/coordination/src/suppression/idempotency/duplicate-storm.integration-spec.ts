import { createTestDatabase, type TestDatabase } from '@suite/testing';
import { poolTransactionRunner } from '../../ports/transaction-runner';
import { applySuppressionMigrations } from '../schema/migrations';
import { IdempotencyStore, type BeginOutcome, type IdempotentRequest } from './idempotency-store';

// 100 clients send the same payment with the same Idempotency-Key at once, the way a
// retrying mobile client and a load balancer's replays do. Exactly one may charge.
describe('duplicate storm on one idempotency key', () => {
  let db: TestDatabase;
  const store = new IdempotencyStore({ lockTimeoutMs: 30_000 });

  beforeAll(async () => {
    db = await createTestDatabase('idem storm', 20);
    await applySuppressionMigrations(db.pool);
    await db.pool.query(
      `create table charges (id bigserial primary key, idempotency_key text not null, amount int not null)`,
    );
  });
  afterAll(async () => {
    await db.drop();
  });

  const request = (key: string, amount: number): IdempotentRequest => ({
    scope: 'account-1',
    key,
    method: 'POST',
    path: '/payments',
    body: { amount, currency: 'EUR', card: { last4: '4242' } },
  });

  // The handler every client runs: claim the key, then charge and store the response in
  // one transaction. The sleep stands for the PSP call and widens the race.
  async function handle(req: IdempotentRequest): Promise<BeginOutcome['kind'] | 'completed'> {
    const outcome = await store.begin(db.pool, req);
    if (outcome.kind !== 'acquired') return outcome.kind;
    await poolTransactionRunner(db.pool).inTransaction(async (tx) => {
      await tx.query('select pg_sleep(0.2)');
      const charge = await tx.query<{ id: string }>(
        'insert into charges (idempotency_key, amount) values ($1, $2) returning id',
        [req.key, (req.body as { amount: number }).amount],
      );
      const done = await store.complete(tx, outcome.handle, {
        status: 201,
        body: { chargeId: charge.rows[0]?.id },
      });
      if (done.kind === 'lock-lost') throw new Error('lost the key mid-request');
    });
    return 'completed';
  }

  it('applies exactly one effect; the others get in-progress or the replayed response', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () => handle(request('storm-key-1', 4200))),
    );
    const tally = outcomes.reduce<Record<string, number>>((acc, kind) => {
      acc[kind] = (acc[kind] ?? 0) + 1;
      return acc;
    }, {});

    const effects = await db.pool.query<{ n: string }>(
      `select count(*) as n from charges where idempotency_key = 'storm-key-1'`,
    );
    expect(Number(effects.rows[0]?.n)).toBe(1);
    expect(tally['completed']).toBe(1);
    expect((tally['in-progress'] ?? 0) + (tally['replay'] ?? 0)).toBe(99);
    expect(tally['in-progress']).toBeGreaterThan(0);
  });

  it('replays the first response to every later retry, with the same charge id', async () => {
    const retries = await Promise.all(
      Array.from({ length: 20 }, () => store.begin(db.pool, request('storm-key-1', 4200))),
    );
    const charge = await db.pool.query<{ id: string }>(
      `select id from charges where idempotency_key = 'storm-key-1'`,
    );
    for (const retry of retries) {
      expect(retry).toEqual({
        kind: 'replay',
        response: { status: 201, body: { chargeId: charge.rows[0]?.id } },
      });
    }
  });

  it('rejects the same key with a different payload as a payload mismatch, with no effect', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => handle(request('storm-key-1', 9900))),
    );
    expect(new Set(outcomes)).toEqual(new Set(['payload-mismatch']));
    const effects = await db.pool.query<{ n: string }>(`select count(*) as n from charges`);
    expect(Number(effects.rows[0]?.n)).toBe(1);
  });

  it('treats the payload with its keys in another order as the same request', async () => {
    const reordered: IdempotentRequest = {
      ...request('storm-key-1', 4200),
      body: { card: { last4: '4242' }, currency: 'EUR', amount: 4200 },
    };
    expect((await store.begin(db.pool, reordered)).kind).toBe('replay');
  });
});
