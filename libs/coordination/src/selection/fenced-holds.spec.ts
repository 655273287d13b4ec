import type { RedisClient } from '../redis/lua-script';
import { epochKey, FencedHolds, fenceKey, leaseKey, type FencedHoldsOptions } from './fenced-holds';

// Construction never touches Redis or the epoch source, so neither needs to be real here.
const redis = {} as RedisClient;
const epochs = { next: async () => 1 };

describe('FencedHolds namespace', () => {
  it('refuses to be constructed without a service namespace', () => {
    const untyped = { redis, epochs } as unknown as FencedHoldsOptions;
    expect(() => new FencedHolds(untyped)).toThrow(RangeError);
    expect(() => new FencedHolds(untyped)).toThrow('a service namespace is required');
  });

  it.each(['', ' ', 'Ticketing', 'tick:eting', 'tick{eting}', '-ticketing', 'a'.repeat(64)])(
    'refuses the namespace %j',
    (namespace) => {
      expect(() => new FencedHolds({ namespace, redis, epochs })).toThrow(RangeError);
    },
  );

  it('accepts every service name of the suite', () => {
    for (const namespace of ['ticketing', 'auction', 'payments', 'psp-simulator', 'rate-limiter']) {
      expect(new FencedHolds({ namespace, redis, epochs }).namespace).toBe(namespace);
    }
  });

  it('puts every key of a scope under its namespace, in one hash tag', () => {
    const keys = [
      epochKey('auction', 'leader:outbox-relay:shard-0'),
      leaseKey('auction', 'leader:outbox-relay:shard-0', 'leader'),
      fenceKey('auction', 'leader:outbox-relay:shard-0', 'leader'),
    ];
    const tags = keys.map((key) => /\{([^}]*)\}/.exec(key)?.[1]);
    expect(new Set(tags)).toEqual(new Set(['auction:leader:outbox-relay:shard-0']));
    // The same lease name in another service is another key and another Cluster slot.
    expect(leaseKey('ticketing', 'leader:outbox-relay:shard-0', 'leader')).not.toBe(keys[1]);
  });
});
