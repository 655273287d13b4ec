import fc from 'fast-check';
import type { SagaOutbox } from '../saga/saga.definition';
import { outboxWriter, shardOf } from './outbox-writer';

describe('shardOf', () => {
  it('always lands in [0, shardCount) and is stable for a key', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 1024 }), (key, count) => {
        const shard = shardOf(key, count);
        expect(Number.isInteger(shard)).toBe(true);
        expect(shard).toBeGreaterThanOrEqual(0);
        expect(shard).toBeLessThan(count);
        expect(shardOf(key, count)).toBe(shard);
      }),
    );
  });

  it('puts every key in shard 0 when there is one shard', () => {
    fc.assert(fc.property(fc.string(), (key) => expect(shardOf(key, 1)).toBe(0)));
  });

  it('spreads keys over the shards', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4_000; i++) {
      const shard = shardOf(`order-${i}`, 4);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    for (const n of counts) expect(n).toBeGreaterThan(800);
  });

  it('matches a known FNV-1a value, so every process and language shards alike', () => {
    // FNV-1a 32 of "a" is 0xe40c292c.
    expect(shardOf('a', 2 ** 31)).toBe(0xe40c292c % 2 ** 31);
  });

  it('refuses a shard count that is not a positive integer', () => {
    expect(() => shardOf('k', 0)).toThrow(RangeError);
    expect(() => shardOf('k', 1.5)).toThrow(RangeError);
  });

  it('has the shape the saga orchestrator takes as its outbox', () => {
    const asSagaOutbox: SagaOutbox = outboxWriter({ shardCount: 4 });
    expect(typeof asSagaOutbox).toBe('function');
  });
});
