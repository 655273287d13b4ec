import { loadConfig } from '@suite/coordination-nest';
import { gatewayConfigSchema } from './gateway.config';

const load = (env: Record<string, string>) => loadConfig(gatewayConfigSchema, env, 'gateway');
const required = { REDIS_URL: 'redis://127.0.0.1:6379' };

describe('gateway config', () => {
  it('points every upstream at its local development port by default', () => {
    expect(load(required)).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      TICKETING_URL: 'http://127.0.0.1:3001',
      PAYMENTS_URL: 'http://127.0.0.1:3002',
      AUCTION_URL: 'http://127.0.0.1:3004',
      RATE_LIMITER_URL: 'http://127.0.0.1:3005',
      REDIS_URL: 'redis://127.0.0.1:6379',
      UPSTREAM_TIMEOUT_MS: 5000,
    });
  });

  it('requires REDIS_URL', () => {
    expect(() => load({})).toThrow('gateway config is invalid:\n  REDIS_URL: Required');
  });

  it('rejects an upstream that is not an http(s) URL', () => {
    expect(() => load({ ...required, PAYMENTS_URL: 'tcp://payments:3002' })).toThrow(
      'PAYMENTS_URL: must be a http or https URL, got scheme "tcp:"',
    );
  });

  it('rejects a zero or non-numeric upstream timeout', () => {
    expect(() => load({ ...required, UPSTREAM_TIMEOUT_MS: '0' })).toThrow(
      'UPSTREAM_TIMEOUT_MS: Number must be greater than or equal to 1',
    );
    expect(() => load({ ...required, UPSTREAM_TIMEOUT_MS: '5s' })).toThrow(
      'UPSTREAM_TIMEOUT_MS: Expected number, received nan',
    );
  });
});
