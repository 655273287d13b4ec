import Redis from 'ioredis';
import { createTestDatabase, DisposableRedis, type TestDatabase } from '@suite/testing';
import { applyFencingSchema, PostgresEpochs, type EpochSource } from './epochs';
import { FencedHolds } from './fenced-holds';
import { decodeToken } from './fencing-token';

// A private redis-server, so restarting it does not disturb other test files.
describe('fencing tokens across a Redis restart that loses every key', () => {
  let server: DisposableRedis;
  let db: TestDatabase;
  let client: Redis;

  beforeAll(async () => {
    server = await DisposableRedis.start();
    db = await createTestDatabase('restart');
    await applyFencingSchema(db.pool);
    client = new Redis(server.url);
  });
  afterAll(async () => {
    await client.quit();
    await server.stop();
    await db.drop();
  });

  it('issues only higher tokens after a restart in the middle of a run', async () => {
    const holds = new FencedHolds({
      namespace: 'test-service',
      redis: client,
      epochs: new PostgresEpochs(db.pool),
    });
    // One connection: replies arrive in the order Redis ran the scripts, so the order in which
    // grants are pushed here is the order in which they were issued.
    const issued: { resource: string; token: number; calledAt: number; returnedAt: number }[] = [];
    let errors = 0;
    let stop = false;
    let restartedAt = { from: Infinity, to: Infinity };

    const worker = async (id: number) => {
      for (let round = 0; !stop && round < 10_000; round++) {
        const resource = `r${(id + round) % 10}`;
        const scope = resource < 'r5' ? 'show-a' : 'show-b';
        const owner = `w${id}.${round}`;
        const calledAt = Date.now();
        try {
          const result = await holds.acquire({
            scope,
            resources: [resource],
            owner,
            ttlMs: 30_000,
          });
          if (result.ok) {
            issued.push({
              resource,
              token: result.hold.tokens[resource] ?? 0,
              calledAt,
              returnedAt: Date.now(),
            });
            await holds.release({ scope, resources: [resource], owner });
          }
        } catch {
          errors++;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };

    const run = Promise.all(Array.from({ length: 20 }, (_, id) => worker(id)));
    await new Promise((r) => setTimeout(r, 1_500));
    restartedAt = { from: Date.now(), to: 0 };
    await server.restart();
    restartedAt.to = Date.now();
    await new Promise((r) => setTimeout(r, 1_500));
    stop = true;
    await run;

    const before = issued.filter((g) => g.returnedAt < restartedAt.from);
    const after = issued.filter((g) => g.calledAt > restartedAt.to);
    expect(before.length).toBeGreaterThan(50);
    expect(after.length).toBeGreaterThan(50);
    const highestBefore = Math.max(...before.map((g) => g.token));
    const lowestAfter = Math.min(...after.map((g) => g.token));
    expect(lowestAfter).toBeGreaterThan(highestBefore);
    expect(decodeToken(lowestAfter).epoch).toBeGreaterThan(decodeToken(highestBefore).epoch);

    const last = new Map<string, number>();
    for (const g of issued) {
      expect(g.token).toBeGreaterThan(last.get(g.resource) ?? 0);
      last.set(g.resource, g.token);
    }
    console.log(
      `restart: ${before.length} grants before, ${after.length} after, ${errors} errors during it`,
    );
  }, 30_000);

  it('refuses an epoch read from Postgres before a restart that happened during the bootstrap', async () => {
    const postgres = new PostgresEpochs(db.pool);
    const other = new FencedHolds({ namespace: 'test-service', redis: client, epochs: postgres });
    // A slow client: it reads its epoch, then, before it installs it, another client installs
    // a newer one and uses it, and Redis restarts.
    let reads = 0;
    let otherToken = 0;
    const slowEpochs: EpochSource = {
      next: async () => {
        const epoch = await postgres.next();
        if (++reads === 1) {
          const won = await other.acquire({
            scope: 'race',
            resources: ['seat'],
            owner: 'fast',
            ttlMs: 100,
          });
          if (!won.ok) throw new Error('fast client should have acquired');
          otherToken = won.hold.tokens['seat'] ?? 0;
          await server.restart();
        }
        return epoch;
      },
    };
    const slow = new FencedHolds({ namespace: 'test-service', redis: client, epochs: slowEpochs });
    const result = await slow.acquire({
      scope: 'race',
      resources: ['seat'],
      owner: 'slow',
      ttlMs: 1_000,
    });
    if (!result.ok) throw new Error('slow client should have acquired');
    // Its first epoch was older than the fast client's; installing it would have gone backwards.
    expect(reads).toBe(2);
    expect(result.hold.tokens['seat']).toBeGreaterThan(otherToken);
  }, 30_000);
});
