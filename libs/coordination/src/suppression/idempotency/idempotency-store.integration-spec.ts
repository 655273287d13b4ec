import { createTestDatabase, type TestDatabase } from '@suite/testing';
import { FakeClock } from '../../clock/fake-clock';
import type { SqlExecutor } from '../../ports/sql-executor';
import { poolTransactionRunner } from '../../ports/transaction-runner';
import { applySuppressionMigrations } from '../schema/migrations';
import {
  IdempotencyStore,
  type BeginOutcome,
  type IdempotentRequest,
  type KeyHandle,
} from './idempotency-store';
import { runRecoverable, type RecoverablePhase } from './recovery-points';

const HOUR = 60 * 60 * 1000;
const LOCK_TIMEOUT = 60_000;

describe('idempotency store against Postgres', () => {
  let db: TestDatabase;
  let clock: FakeClock;
  let store: IdempotencyStore;

  beforeAll(async () => {
    db = await createTestDatabase('idem store');
    await applySuppressionMigrations(db.pool);
    await applySuppressionMigrations(db.pool); // idempotent DDL: a second run changes nothing
    await db.pool.query(
      `create table effects (key text not null, phase text not null, at timestamptz default now())`,
    );
  });
  afterAll(async () => {
    await db.drop();
  });

  beforeEach(() => {
    clock = new FakeClock(Date.parse('2026-11-27T00:00:00Z'));
    store = new IdempotencyStore({ clock, lockTimeoutMs: LOCK_TIMEOUT, retentionMs: 24 * HOUR });
  });

  const req = (key: string, body: unknown = { amount: 1 }): IdempotentRequest => ({
    scope: 'acct',
    key,
    method: 'POST',
    path: '/payments',
    body,
  });
  const acquire = async (r: IdempotentRequest): Promise<KeyHandle> => {
    const outcome = await store.begin(db.pool, r);
    if (outcome.kind !== 'acquired') throw new Error(`expected acquired, got ${outcome.kind}`);
    return outcome.handle;
  };
  const countEffects = async (key: string, phase?: string) => {
    const result = await db.pool.query<{ n: string }>(
      `select count(*) as n from effects where key = $1 and ($2::text is null or phase = $2)`,
      [key, phase ?? null],
    );
    return Number(result.rows[0]?.n);
  };
  const tx = poolTransactionRunner({ connect: () => db.pool.connect() });

  it('replays a stored error response, status and body, to every retry', async () => {
    const handle = await acquire(req('declined'));
    const declined = {
      status: 402,
      body: { error: 'card_declined', declineCode: 'insufficient_funds' },
    };
    await tx.inTransaction((sql) => store.complete(sql, handle, declined));

    clock.advance(HOUR);
    expect(await store.begin(db.pool, req('declined'))).toEqual({
      kind: 'replay',
      response: declined,
    });
  });

  it('answers in-progress with a retry-after while the first request holds the key', async () => {
    await acquire(req('busy-key'));
    clock.advance(15_000);
    expect(await store.begin(db.pool, req('busy-key'))).toEqual({
      kind: 'in-progress',
      retryAfterMs: LOCK_TIMEOUT - 15_000,
    });
  });

  it('lets a retry take over a crashed holder after the lock timeout and fences the old holder out', async () => {
    const crashed = await acquire(req('crash-key'));
    // The holder dies without releasing: nothing happens until its lock times out.
    clock.advance(LOCK_TIMEOUT - 1);
    expect((await store.begin(db.pool, req('crash-key'))).kind).toBe('in-progress');
    clock.advance(1);
    const retry = await store.begin(db.pool, req('crash-key'));
    expect(retry).toMatchObject({ kind: 'acquired', resumed: true, recoveryPoint: 'started' });

    // The old holder wakes up (a long GC pause, say): its phase commit must fail.
    const stale = await tx
      .inTransaction(async (sql) => {
        await sql.query(`insert into effects (key, phase) values ('crash-key', 'charge')`);
        const moved = await store.advance(sql, crashed, 'charged');
        if (moved.kind === 'lock-lost') throw new Error('lock lost');
      })
      .catch((error: Error) => error.message);
    expect(stale).toBe('lock lost');
    expect(await countEffects('crash-key')).toBe(0);

    const handle = (retry as Extract<BeginOutcome, { kind: 'acquired' }>).handle;
    expect(
      await tx.inTransaction((sql) => store.complete(sql, handle, { status: 201, body: {} })),
    ).toEqual({
      kind: 'completed',
    });
  });

  it('resumes a multi-phase request from its last committed phase after a crash between phases', async () => {
    let crashAfterFirstPhase = true;
    const phases = (key: string): RecoverablePhase[] => [
      {
        reaches: 'payment_created',
        run: async (sql: SqlExecutor) => {
          await sql.query(`insert into effects (key, phase) values ($1, 'payment')`, [key]);
        },
      },
      {
        reaches: 'psp_charged',
        run: async (sql: SqlExecutor) => {
          if (crashAfterFirstPhase) throw new Error('process killed between phases');
          await sql.query(`insert into effects (key, phase) values ($1, 'charge')`, [key]);
        },
      },
    ];
    const respond = async () => ({ status: 201, body: { paid: true } });

    const first = await acquire(req('multi-key'));
    await expect(runRecoverable(tx, store, first, phases('multi-key'), respond)).rejects.toThrow(
      'process killed between phases',
    );
    expect(await countEffects('multi-key', 'payment')).toBe(1);
    expect(await countEffects('multi-key', 'charge')).toBe(0);

    // The crashed process never released the key; the client retries after the timeout.
    clock.advance(LOCK_TIMEOUT);
    crashAfterFirstPhase = false;
    const retry = await store.begin(db.pool, req('multi-key'));
    expect(retry).toMatchObject({
      kind: 'acquired',
      resumed: true,
      recoveryPoint: 'payment_created',
    });
    const handle = (retry as Extract<BeginOutcome, { kind: 'acquired' }>).handle;
    expect(await runRecoverable(tx, store, handle, phases('multi-key'), respond)).toEqual({
      kind: 'completed',
      response: { status: 201, body: { paid: true } },
      skipped: ['payment_created'],
    });
    expect(await countEffects('multi-key', 'payment')).toBe(1);
    expect(await countEffects('multi-key', 'charge')).toBe(1);
    expect((await store.begin(db.pool, req('multi-key'))).kind).toBe('replay');
  });

  it('lets a released key be resumed at once, without waiting for the lock timeout', async () => {
    const handle = await acquire(req('released'));
    expect(await store.release(db.pool, handle)).toEqual({ kind: 'released' });
    expect(await store.begin(db.pool, req('released'))).toMatchObject({
      kind: 'acquired',
      resumed: true,
    });
    expect(await store.release(db.pool, handle)).toEqual({ kind: 'lock-lost' });
  });

  it('purges expired keys in bounded batches, keeping recent keys and live locks', async () => {
    await db.pool.query('delete from idempotency_keys'); // count only this test's keys
    const start = clock.now();
    for (let i = 0; i < 25; i++) {
      const handle = await acquire(req(`old-key-${i}`));
      await store.complete(db.pool, handle, { status: 200, body: i });
    }
    // A slow request still working when its key reaches retention keeps its key.
    const slow = await acquire(req('slow-key'));
    clock.set(start + 23 * HOUR);
    for (let i = 0; i < 5; i++) await acquire(req(`recent-${i}`));
    clock.set(start + 24 * HOUR - 30_000);
    expect((await store.advance(db.pool, slow, 'still-working')).kind).toBe('advanced');

    clock.set(start + 24 * HOUR);
    const report = await store.purgeExpired(db.pool, { batchSize: 10, maxBatches: 10 });
    expect(report).toEqual({ deleted: 25, batches: 3, more: false });

    const left = await db.pool.query<{ key: string }>(
      `select key from idempotency_keys where key like 'old-%' or key like 'recent-%' or key = 'slow-key'`,
    );
    expect(left.rows.map((r) => r.key).sort()).toEqual(
      ['recent-0', 'recent-1', 'recent-2', 'recent-3', 'recent-4', 'slow-key'].sort(),
    );
    // A purged key is new again: another payload under it is accepted, not a mismatch.
    expect(await store.begin(db.pool, req('old-key-3', { amount: 999 }))).toMatchObject({
      kind: 'acquired',
      resumed: false,
    });
  });

  it('stops after maxBatches and says more remain', async () => {
    clock.advance(48 * HOUR);
    for (let i = 0; i < 12; i++) {
      await store.complete(db.pool, await acquire(req(`bulk-key-${i}`)), {
        status: 200,
        body: null,
      });
    }
    clock.advance(25 * HOUR);
    expect(await store.purgeExpired(db.pool, { batchSize: 4, maxBatches: 2 })).toMatchObject({
      deleted: 8,
      batches: 2,
      more: true,
    });
  });

  it('frees a key past retention that was never purged, for a new payload', async () => {
    await store.complete(db.pool, await acquire(req('stale-key', { amount: 1 })), {
      status: 200,
      body: 1,
    });
    clock.advance(24 * HOUR);
    expect(await store.begin(db.pool, req('stale-key', { amount: 2 }))).toMatchObject({
      kind: 'acquired',
      recoveryPoint: 'started',
    });
  });

  it('rejects an unusable key as a typed result, not an exception', async () => {
    expect(await store.begin(db.pool, req(''))).toEqual({
      kind: 'invalid-key',
      reason: 'the key is empty',
    });
    expect((await store.begin(db.pool, req('x'.repeat(256)))).kind).toBe('invalid-key');
  });

  // The rule is the contracts' one, the gateway's: what a client may send is all the store
  // takes, whoever calls it.
  it('holds keys to the Idempotency-Key rule the gateway enforces', async () => {
    const rule = 'Idempotency-Key must be 8 to 255 characters of A-Z a-z 0-9 . _ : ~ + / = -';
    expect(await store.begin(db.pool, req('seven-7'))).toEqual({
      kind: 'invalid-key',
      reason: `${rule}; this one has 7`,
    });
    expect(await store.begin(db.pool, req('has a space'))).toEqual({
      kind: 'invalid-key',
      reason: `${rule}; this one has a character outside that set`,
    });
    expect((await store.begin(db.pool, req('eight-08'))).kind).toBe('acquired');
    expect((await store.begin(db.pool, req('k'.repeat(255)))).kind).toBe('acquired');
  });
});
