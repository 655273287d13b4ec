import Redis from 'ioredis';
import { PartitionAssigner, partitionFenceResource } from './partition-assigner';

const redis = new Redis({ lazyConnect: true });
const epochs = { next: () => Promise.resolve(1) };
const valid = {
  redis,
  namespace: 'scheduler',
  epochs,
  group: 'jobs',
  memberId: 'scheduler-1',
  partitions: 64,
};

describe('PartitionAssigner options', () => {
  afterAll(() => redis.disconnect());

  it('accepts the documented defaults', () => {
    const a = new PartitionAssigner(valid);
    expect([a.leaseMs, a.heartbeatMs, a.partitions]).toEqual([3000, 1000, 64]);
    expect(a.owned().size).toBe(0);
  });

  it('refuses a heartbeat that could not renew before the claim lapses', () => {
    expect(() => new PartitionAssigner({ ...valid, leaseMs: 1000, heartbeatMs: 800 })).toThrow(
      /heartbeatMs \(800\) must be below leaseMs - safetyMarginMs \(800\)/,
    );
  });

  it.each([
    ['group', { group: 'a{b}' }],
    ['group', { group: '' }],
    ['memberId', { memberId: 'has space' }],
    ['partitions', { partitions: 0 }],
    ['namespace', { namespace: 'Has:Colon' }],
    ['leaseMs', { leaseMs: -1 }],
  ])('refuses a bad %s', (_, bad) => {
    expect(() => new PartitionAssigner({ ...valid, ...bad })).toThrow(RangeError);
  });

  it('names one fence resource per group and partition', () => {
    expect(partitionFenceResource('jobs', 7)).toBe('assignment.jobs/p7');
    expect(partitionFenceResource('jobs', 7)).not.toBe(partitionFenceResource('frontier', 7));
  });
});
