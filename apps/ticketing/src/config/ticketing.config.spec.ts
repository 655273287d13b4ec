import { loadConfig } from '@suite/coordination-nest';
import { ticketingConfigSchema } from './ticketing.config';

const load = (env: Record<string, string>) => loadConfig(ticketingConfigSchema, env, 'ticketing');
const valid = {
  DATABASE_URL: 'postgresql://ticketing@127.0.0.1:5432/ticketing',
  REDIS_URL: 'redis://127.0.0.1:6379/1',
  KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:9093',
};

describe('ticketing config', () => {
  it('parses its database, Redis and broker list', () => {
    expect(load(valid)).toMatchObject({
      PORT: 3001,
      KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.1:9093'],
    });
  });

  it('refuses to start without its database, Redis and brokers, naming each', () => {
    expect(() => load({})).toThrow(
      'ticketing config is invalid:\n  DATABASE_URL: Required\n  REDIS_URL: Required\n  KAFKA_BROKERS: Required',
    );
  });

  it('rejects a DATABASE_URL that is not Postgres', () => {
    expect(() => load({ ...valid, DATABASE_URL: 'mysql://ticketing@127.0.0.1/ticketing' })).toThrow(
      'DATABASE_URL: must be a postgres or postgresql URL',
    );
  });

  it('rejects a broker without a port', () => {
    expect(() => load({ ...valid, KAFKA_BROKERS: '127.0.0.1:9092,kafka-2' })).toThrow(
      'KAFKA_BROKERS: "kafka-2" is not host:port',
    );
  });
});
