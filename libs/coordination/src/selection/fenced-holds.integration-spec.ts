import Redis from 'ioredis';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { decodeToken } from './fencing-token';
import { applyFencingSchema, PostgresEpochs } from './epochs';
import { FencedHolds } from './fenced-holds';

describe('FencedHolds against the real Redis and Postgres', () => {
  let redis: TestRedis;
  let db: TestDatabase;
  let holds: FencedHolds;

  beforeAll(async () => {
    redis = createTestRedis('fenced holds');
    db = await createTestDatabase('fenced holds');
    await applyFencingSchema(db.pool);
    holds = new FencedHolds({
      namespace: 'test-service',
      redis: redis.client,
      epochs: new PostgresEpochs(db.pool),
    });
  });
  afterAll(async () => {
    await redis.cleanup();
    await db.drop();
  });

  const hold = (owner: string, resources: string[], ttlMs = 10_000) =>
    holds.acquire({ scope: 'event-1', resources, owner, ttlMs });

  it('takes every resource of a hold with a token each and an expiry', async () => {
    const before = Date.now();
    const result = await hold('alice', ['A1', 'A2', 'A3']);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.hold.tokens)).toEqual(['A1', 'A2', 'A3']);
    expect(result.hold.expiresAt).toBeGreaterThanOrEqual(before + 10_000);
    expect(result.hold.expiresAt).toBeLessThanOrEqual(Date.now() + 10_000);
    const epochs = Object.values(result.hold.tokens).map((t) => decodeToken(t).epoch);
    expect(new Set(epochs).size).toBe(1);
    await holds.release({ scope: 'event-1', resources: ['A1', 'A2', 'A3'], owner: 'alice' });
  });

  it('takes nothing when one resource is held, and says by whom', async () => {
    await hold('alice', ['B2']);
    const denied = await hold('bob', ['B1', 'B2', 'B3']);
    expect(denied).toMatchObject({ ok: false, reason: 'held', resource: 'B2', heldBy: 'alice' });
    if (!denied.ok) expect(denied.retryAfterMs).toBeGreaterThan(9_000);
    // B1 and B3 were not taken by the refused hold.
    expect(await hold('carol', ['B1', 'B3'])).toMatchObject({ ok: true });
  });

  it('issues a higher token to each new holder of a resource', async () => {
    const tokens: number[] = [];
    for (const owner of ['u1', 'u2', 'u3']) {
      const result = await hold(owner, ['C1']);
      if (!result.ok) throw new Error('expected to acquire');
      tokens.push(result.hold.tokens['C1'] ?? 0);
      await holds.release({ scope: 'event-1', resources: ['C1'], owner });
    }
    expect(tokens[1]).toBe((tokens[0] ?? 0) + 1);
    expect(tokens[2]).toBe((tokens[1] ?? 0) + 1);
  });

  it('gives the same owner fresh tokens and a renewed lease when it acquires again', async () => {
    // A retry after a lost reply: the owner already holds F1, and takes F2 with it this time.
    const first = await hold('alice', ['F1'], 1_000);
    const again = await hold('alice', ['F1', 'F2'], 20_000);
    if (!first.ok || !again.ok) throw new Error('expected to acquire');
    expect(again.hold.tokens['F1']).toBe((first.hold.tokens['F1'] ?? 0) + 1);
    expect(await redis.client.pttl('hold:{test-service:event-1}:lease:F1')).toBeGreaterThan(15_000);
    expect(await redis.client.get('hold:{test-service:event-1}:lease:F2')).toBe('alice');
    // Refused on a resource held by another: nothing changes, F3 is not left taken.
    await hold('bob', ['F4']);
    expect(await hold('alice', ['F3', 'F1', 'F4'])).toMatchObject({ ok: false, heldBy: 'bob' });
    expect(await redis.client.exists('hold:{test-service:event-1}:lease:F3')).toBe(0);
    expect(await redis.client.get('hold:{test-service:event-1}:lease:F1')).toBe('alice');
    expect(await redis.client.get('hold:{test-service:event-1}:fence:F3')).toBeNull();
  });

  it('lets only the owner extend or release', async () => {
    await hold('alice', ['D1', 'D2']);
    const request = { scope: 'event-1', resources: ['D1', 'D2'], ttlMs: 20_000 };
    expect(await holds.extend({ ...request, owner: 'mallory' })).toEqual({
      ok: false,
      reason: 'not-owner',
      resource: 'D1',
      heldBy: 'alice',
    });
    expect(await holds.release({ ...request, owner: 'mallory' })).toEqual({
      ok: false,
      reason: 'not-owner',
      resource: 'D1',
      heldBy: 'alice',
      released: 0,
    });
    expect(await holds.extend({ ...request, owner: 'alice' })).toMatchObject({ ok: true });
    expect(await redis.client.pttl('hold:{test-service:event-1}:lease:D2')).toBeGreaterThan(15_000);
    expect(await holds.release({ ...request, owner: 'alice' })).toEqual({ ok: true, released: 2 });
  });

  it('reports an expired hold instead of reviving it', async () => {
    await hold('alice', ['E1'], 50);
    await new Promise((r) => setTimeout(r, 120));
    const request = { scope: 'event-1', resources: ['E1'], owner: 'alice' };
    expect(await holds.extend({ ...request, ttlMs: 1_000 })).toEqual({
      ok: false,
      reason: 'expired',
      resource: 'E1',
    });
    expect(await holds.release(request)).toEqual({
      ok: false,
      reason: 'expired',
      resource: 'E1',
      released: 0,
    });
  });

  it('keeps every key of a scope under one hash tag, so a hold fits one Cluster slot', async () => {
    await holds.acquire({ scope: 'event-9', resources: ['x', 'y'], owner: 'o', ttlMs: 5_000 });
    const keys = await redis.client.keys(`${redis.prefix}hold:*event-9*`);
    expect(keys.length).toBe(5);
    for (const key of keys) expect(key.match(/\{[^}]*\}/)?.[0]).toBe('{test-service:event-9}');
  });

  it('throws, not denies, when Redis is unreachable', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    await new Promise((resolve) => down.once('end', resolve));
    const broken = new FencedHolds({
      namespace: 'test-service',
      redis: down,
      epochs: new PostgresEpochs(db.pool),
    });
    await expect(
      broken.acquire({ scope: 's', resources: ['r'], owner: 'o', ttlMs: 1_000 }),
    ).rejects.toThrow('Connection is closed');
  });

  it('rejects malformed requests as programming errors', async () => {
    await expect(hold('o', [])).rejects.toThrow(RangeError);
    await expect(hold('o', ['a', 'a'])).rejects.toThrow(RangeError);
    await expect(
      holds.acquire({ scope: 'a{b}', resources: ['r'], owner: 'o', ttlMs: 1 }),
    ).rejects.toThrow(RangeError);
    await expect(hold('o', ['r'], 0)).rejects.toThrow(RangeError);
  });
});
