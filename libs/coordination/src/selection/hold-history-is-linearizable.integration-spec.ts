import {
  checkLinearizable,
  createTestDatabase,
  createTestRedis,
  HistoryRecorder,
  type HistoryOperation,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { applyFencingSchema, PostgresEpochs } from './epochs';
import { FencedHolds } from './fenced-holds';
import { NaiveLock } from './naive-lock';

// Histories of acquire/release checked with porcupine against a mutex per key. The TTL is far
// longer than the run, so a lease never expires: expiry is not part of the mutex model.
describe('acquire/release histories checked for linearizability', () => {
  let redis: TestRedis;
  let db: TestDatabase;

  beforeAll(async () => {
    redis = createTestRedis('lincheck');
    db = await createTestDatabase('lincheck');
    await applyFencingSchema(db.pool);
  });
  afterAll(async () => {
    await redis.cleanup();
    await db.drop();
  });

  const pause = (maxMs: number) => new Promise((r) => setTimeout(r, Math.random() * maxMs));

  it('finds the fenced hold linearizable', async () => {
    const holds = new FencedHolds({
      namespace: 'test-service',
      redis: redis.client,
      epochs: new PostgresEpochs(db.pool),
    });
    const history = new HistoryRecorder();
    const deadline = Date.now() + 2_000;
    const client = async (id: number) => {
      const owner = `client-${id}`;
      for (let round = 0; round < 300 && Date.now() < deadline; round++) {
        const key = `k${Math.floor(Math.random() * 4)}`;
        const request = { scope: 'lin', resources: [key], owner };
        const got = await history.record(
          id,
          key,
          'acquire',
          () => holds.acquire({ ...request, ttlMs: 60_000 }),
          (r) => r.ok,
        );
        if (!got.ok) continue;
        await pause(3);
        await history.record(
          id,
          key,
          'release',
          () => holds.release(request),
          (r) => r.ok,
        );
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, id) => client(id)));

    const verdict = await checkLinearizable('selection-fenced-hold', history.operations, 'lock');
    expect(verdict.operations).toBeGreaterThan(500);
    expect(history.operations.some((o) => o.op === 'acquire' && !o.ok)).toBe(true);
    expect(verdict.result).toBe('Ok');
    console.log(`lincheck fenced hold: ${verdict.result} on ${verdict.operations} operations`);
  }, 60_000);

  it("catches the naive lock, whose holders outlive their TTL and delete each other's locks", async () => {
    const naive = new NaiveLock(redis.client);
    const history = new HistoryRecorder();
    const deadline = Date.now() + 1_500;
    const client = async (id: number) => {
      for (let round = 0; round < 200 && Date.now() < deadline; round++) {
        const key = `n${id % 2}`;
        const got = await history.record(
          id,
          key,
          'acquire',
          () => naive.acquire(key, `c${id}`, 20),
          (ok) => ok,
        );
        if (!got) {
          await pause(5);
          continue;
        }
        await new Promise((r) => setTimeout(r, 40));
        await history.record(
          id,
          key,
          'release',
          () => naive.release(key),
          (ok) => ok,
        );
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, id) => client(id)));

    const verdict = await checkLinearizable('selection-naive-lock', history.operations, 'lock');
    expect(verdict.result).toBe('Illegal');
    console.log(`lincheck naive lock: ${verdict.result} on ${verdict.operations} operations`);
  }, 60_000);

  it('catches a constructed history in which two clients hold one key at once', async () => {
    const op = (
      client: number,
      opName: string,
      call: number,
      ret: number,
      ok = true,
    ): HistoryOperation => ({
      client,
      key: 'seat',
      op: opName,
      call,
      return: ret,
      ok,
    });
    const overlapping = [
      op(1, 'acquire', 0, 10),
      op(2, 'acquire', 20, 30),
      op(1, 'release', 40, 50),
      op(2, 'release', 60, 70),
    ];
    expect(
      (await checkLinearizable('selection-constructed-overlap', overlapping, 'lock')).result,
    ).toBe('Illegal');
    const sequential = [
      op(1, 'acquire', 0, 10),
      op(2, 'acquire', 5, 15, false),
      op(1, 'release', 20, 30),
      op(2, 'acquire', 40, 50),
    ];
    expect((await checkLinearizable('selection-constructed-ok', sequential, 'lock')).result).toBe(
      'Ok',
    );
  });
});
