import { loadConfig } from '@suite/coordination-nest';
import { auctionConfigSchema } from './auction.config';

const load = (env: Record<string, string>) => loadConfig(auctionConfigSchema, env, 'auction');
const valid = {
  DATABASE_URL: 'postgres://auction@127.0.0.1:5432/auction',
  REDIS_URL: 'redis://127.0.0.1:6379/2',
  KAFKA_BROKERS: '127.0.0.1:9092',
};

describe('auction config', () => {
  it('parses its database, Redis and brokers', () => {
    expect(load(valid)).toMatchObject({
      PORT: 3004,
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
    });
  });

  it('refuses to start without Redis, which holds the bid check and the closer lease', () => {
    const withoutRedis = { DATABASE_URL: valid.DATABASE_URL, KAFKA_BROKERS: valid.KAFKA_BROKERS };
    expect(() => load(withoutRedis)).toThrow('auction config is invalid:\n  REDIS_URL: Required');
  });

  it('rejects a REDIS_URL with an http scheme', () => {
    expect(() => load({ ...valid, REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(
      'REDIS_URL: must be a redis or rediss URL, got scheme "http:"',
    );
  });

  it('rejects an empty broker list', () => {
    expect(() => load({ ...valid, KAFKA_BROKERS: ',' })).toThrow(
      'KAFKA_BROKERS: must list at least one host:port',
    );
  });
});
