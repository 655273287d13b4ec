import { generateEs256KeyPair, loadConfig } from '@suite/service-kit';
import { auctionConfigSchema } from './auction.config';

const load = (env: Record<string, string>) => loadConfig(auctionConfigSchema, env, 'auction');

describe('auction config', () => {
  let valid: Record<string, string>;

  beforeAll(() => {
    const { publicKeyPem } = generateEs256KeyPair();
    valid = {
      DATABASE_URL: 'postgres://auction@127.0.0.1:5432/auction',
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      KAFKA_BROKERS: '127.0.0.1:9092',
      JWT_PUBLIC_KEY: publicKeyPem.replace(/\n/g, '\\n'),
    };
  });

  it('parses its database, Redis, brokers and key, with safe defaults', () => {
    expect(load(valid)).toMatchObject({
      PORT: 3004,
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      BID_MODE: 'atomic',
      CLOSER: 'on',
      AUCTION_EVENTS_TOPIC: 'auction.events',
    });
    expect(load(valid).JWT_PUBLIC_KEY).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
  });

  it('refuses to start without Redis, which holds the closer lease', () => {
    const withoutRedis = Object.fromEntries(
      Object.entries(valid).filter(([name]) => name !== 'REDIS_URL'),
    );
    expect(() => load(withoutRedis)).toThrow('REDIS_URL: Required');
  });

  it('refuses a private key where the public key belongs', () => {
    expect(() => load({ ...valid, JWT_PUBLIC_KEY: '-----BEGIN PRIVATE KEY-----\\nabc' })).toThrow(
      'JWT_PUBLIC_KEY: must be a PEM starting with -----BEGIN PUBLIC KEY-----',
    );
  });

  it('refuses a closer that polls less often than its lease runs out', () => {
    expect(() => load({ ...valid, CLOSER_LEASE_TTL_MS: '1000', CLOSER_POLL_MS: '1000' })).toThrow(
      'CLOSER_POLL_MS must be below CLOSER_LEASE_TTL_MS',
    );
  });

  it('rejects an unknown bid mode', () => {
    expect(() => load({ ...valid, BID_MODE: 'optimistic' })).toThrow('BID_MODE');
  });
});
