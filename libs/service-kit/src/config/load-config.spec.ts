import { z } from 'zod';
import { ConfigError } from './config.errors';
import { baseServiceConfig, brokerList, portVar, POSTGRES_PROTOCOLS, urlVar } from './config-vars';
import { loadConfig } from './load-config';

const schema = baseServiceConfig.extend({
  PORT: portVar(3001),
  DATABASE_URL: urlVar({ protocols: POSTGRES_PROTOCOLS }),
  KAFKA_BROKERS: brokerList(),
});

function loadError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(schema, env, 'ticketing');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  const valid = {
    DATABASE_URL: 'postgres://app@127.0.0.1:5432/ticketing',
    KAFKA_BROKERS: '127.0.0.1:9092',
  };

  it('returns the typed config with defaults filled in', () => {
    expect(loadConfig(schema, valid, 'ticketing')).toEqual({
      PORT: 3001,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_MS: 0,
      DATABASE_URL: 'postgres://app@127.0.0.1:5432/ticketing',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
    });
  });

  it('coerces numbers and ignores variables the schema does not declare', () => {
    const config = loadConfig(
      schema,
      { ...valid, PORT: '8080', LOG_LEVEL: 'debug', PATH: '/usr/bin' },
      'ticketing',
    );
    expect(config.PORT).toBe(8080);
    expect(config.LOG_LEVEL).toBe('debug');
    expect(config).not.toHaveProperty('PATH');
  });

  it('names every bad variable and why, in one message', () => {
    const error = loadError({ PORT: 'abc', LOG_LEVEL: 'loud', KAFKA_BROKERS: 'kafka' });
    expect(error.message).toBe(
      [
        'ticketing config is invalid:',
        '  PORT: Expected number, received nan',
        "  LOG_LEVEL: Invalid enum value. Expected 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'verbose', received 'loud'",
        '  DATABASE_URL: Required',
        '  KAFKA_BROKERS: "kafka" is not host:port',
      ].join('\n'),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues.map((issue) => issue.variable)).toEqual([
      'PORT',
      'LOG_LEVEL',
      'DATABASE_URL',
      'KAFKA_BROKERS',
    ]);
  });

  it('never echoes a secret from a rejected URL', () => {
    const error = loadError({ ...valid, DATABASE_URL: 'mysql://app:s3cret@db/ticketing' });
    expect(error.message).toContain('DATABASE_URL: must be a postgres or postgresql URL');
    expect(error.message).not.toContain('s3cret');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(schema, { ...valid, PORT: '', HOST: '  ' }, 'ticketing')).toMatchObject({
      PORT: 3001,
      HOST: '127.0.0.1',
    });
    expect(loadError({ ...valid, DATABASE_URL: '' }).message).toContain('DATABASE_URL: Required');
  });

  it('reports a failure of the whole environment without a variable name', () => {
    const atLeastOne = z
      .object({ A: z.string().optional(), B: z.string().optional() })
      .refine((env) => env.A !== undefined || env.B !== undefined, 'set A or B');
    expect(() => loadConfig(atLeastOne, {}, 'gateway')).toThrow(
      'gateway config is invalid:\n  (environment): set A or B',
    );
  });
});
