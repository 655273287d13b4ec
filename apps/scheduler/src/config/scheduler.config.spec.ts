import { generateEs256KeyPair, loadConfig } from '@suite/service-kit';
import { schedulerConfigSchema } from './scheduler.config';

const load = (env: Record<string, string>) => loadConfig(schedulerConfigSchema, env, 'scheduler');

describe('scheduler config', () => {
  let valid: Record<string, string>;

  beforeAll(() => {
    const { publicKeyPem } = generateEs256KeyPair();
    valid = {
      DATABASE_URL: 'postgres://scheduler@127.0.0.1:5432/scheduler',
      REDIS_URL: 'redis://127.0.0.1:6379/0',
      KAFKA_BROKERS: '127.0.0.1:9092',
      JWT_PUBLIC_KEY: publicKeyPem.replace(/\n/g, '\\n'),
    };
  });

  it('parses its stores and key, with assigned, fenced firing and its own sink by default', () => {
    expect(load(valid)).toMatchObject({
      PORT: 3006,
      FIRING: 'on',
      FIRE_MODE: 'assigned',
      SCHEDULER_PARTITIONS: 64,
      LEASE_TTL_MS: 3_000,
      CALLBACK_ORIGINS: ['http://127.0.0.1:3006'],
      KAFKA_TOPIC_PREFIX: 'scheduled.',
    });
  });

  it('refuses a callback origin with a path, and a poll as long as the lease', () => {
    expect(() => load({ ...valid, CALLBACK_ORIGINS: 'http://127.0.0.1:9000/hooks' })).toThrow(
      'is not an http origin',
    );
    expect(() => load({ ...valid, POLL_MS: '3000', LEASE_TTL_MS: '3000' })).toThrow(
      'POLL_MS must be below LEASE_TTL_MS',
    );
  });

  it('takes "none" for no callback origin at all', () => {
    expect(load({ ...valid, CALLBACK_ORIGINS: 'none' }).CALLBACK_ORIGINS).toEqual([]);
  });
});
