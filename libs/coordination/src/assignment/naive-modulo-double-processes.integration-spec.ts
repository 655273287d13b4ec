import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { applyFencingSchema } from '../selection/epochs';
import { applyItemsTable, fencedMember, naiveMember, scenario } from './double-processing-check';

// The scenario and the verifier are in double-processing-check.ts; the assignment
// benchmark runs the same pair and records the counts.
describe('the same double-processing verifier on both assigners', () => {
  let redis: TestRedis;
  let db: TestDatabase;

  beforeAll(async () => {
    redis = createTestRedis('assign-naive');
    db = await createTestDatabase('assign_naive');
    await applyFencingSchema(db.pool);
    await applyItemsTable(db.pool);
  });
  afterAll(async () => {
    await redis.cleanup();
    await db.drop();
  });

  it('catches the naive modulo assigner processing items twice', async () => {
    const result = await scenario(db.pool, 'naive', naiveMember(redis.client, 'naive'));
    expect(result.processed).toBeGreaterThan(100);
    expect(result.doubles).toBeGreaterThan(0);
  });

  it('finds no item processed twice with fenced claims', async () => {
    const result = await scenario(db.pool, 'fenced', fencedMember(redis.client, db.pool, 'fenced'));
    expect(result.processed).toBeGreaterThan(100);
    expect(result.doubles).toBe(0);
  });
});
