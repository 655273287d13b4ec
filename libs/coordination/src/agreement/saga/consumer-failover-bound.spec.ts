import {
  consumerFailoverBoundMs,
  consumerGroupTiming,
  DEFAULT_SESSION_TIMEOUT_MS,
} from './saga.kafka';

describe('consumer failover bound', () => {
  it('is the session timeout plus one rebalance: 20 s with the default 10 s session', () => {
    expect(DEFAULT_SESSION_TIMEOUT_MS).toBe(10_000);
    expect(consumerGroupTiming()).toEqual({
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 2_000,
      rebalanceTimeoutMs: 10_000,
    });
    expect(consumerFailoverBoundMs(consumerGroupTiming())).toBe(20_000);
    expect(consumerFailoverBoundMs({ sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 30_000 })).toBe(
      36_000,
    );
  });

  it('refuses a session timeout below one second', () => {
    expect(() => consumerGroupTiming(999)).toThrow(RangeError);
  });
});
