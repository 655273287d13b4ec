import { generateEs256KeyPair, loadConfig } from '@suite/coordination-nest';
import { gatewayConfigSchema } from './gateway.config';

const keys = generateEs256KeyPair();
const load = (env: Record<string, string>) => loadConfig(gatewayConfigSchema, env, 'gateway');
const required = { REDIS_URL: 'redis://127.0.0.1:6379', JWT_PUBLIC_KEY: keys.publicKeyPem };

describe('gateway config', () => {
  it('points every upstream at its local development port by default', () => {
    expect(load(required)).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      TICKETING_URL: 'http://127.0.0.1:3001',
      PAYMENTS_URL: 'http://127.0.0.1:3002',
      AUCTION_URL: 'http://127.0.0.1:3004',
      RATE_LIMITER_URL: 'http://127.0.0.1:3005',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: '',
      UPSTREAM_TIMEOUT_MS: 5000,
      JWT_ISSUER: 'suite',
      JWT_AUDIENCE: 'suite',
      DEV_TOKENS: 'off',
    });
  });

  it('requires REDIS_URL and the public key', () => {
    expect(() => load({})).toThrow(/REDIS_URL: Required[\s\S]*JWT_PUBLIC_KEY: Required/);
  });

  it('accepts a PEM written on one line with \\n escapes', () => {
    const oneLine = keys.publicKeyPem.trim().replace(/\n/g, '\\n');
    expect(load({ ...required, JWT_PUBLIC_KEY: oneLine }).JWT_PUBLIC_KEY).toBe(
      keys.publicKeyPem.trim(),
    );
  });

  it('rejects a private key where the public key belongs', () => {
    expect(() => load({ ...required, JWT_PUBLIC_KEY: keys.privateKeyPem })).toThrow(
      'JWT_PUBLIC_KEY: must be a PEM starting with -----BEGIN PUBLIC KEY-----',
    );
  });

  it('refuses to enable development tokens without a private key', () => {
    expect(() => load({ ...required, DEV_TOKENS: 'on' })).toThrow(
      'DEV_TOKEN_PRIVATE_KEY: required when DEV_TOKENS=on',
    );
    expect(
      load({ ...required, DEV_TOKENS: 'on', DEV_TOKEN_PRIVATE_KEY: keys.privateKeyPem }).DEV_TOKENS,
    ).toBe('on');
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

  it('has default rate limits for users, API keys and the routes that cost the most', () => {
    const labels = load(required).RATE_LIMITS.policies.map((p) => `${p.label}:${p.policy.name}`);
    expect(labels).toEqual([
      'user:gateway.user',
      'api-key:gateway.api-key',
      'holds.place:gateway.route.holds.place',
      'checkouts.create:gateway.route.checkouts.create',
      'payments.create:gateway.route.payments.create',
      'payments.refund:gateway.route.payments.refund',
    ]);
  });

  it('takes rate limits as JSON and names every broken field', () => {
    const config = load({
      ...required,
      RATE_LIMITS: JSON.stringify({
        user: { algorithm: 'gcra', limit: 5, windowMs: 1000, failure: 'closed' },
        routes: {
          'events.list': { algorithm: 'sliding-log', limit: 2, windowMs: 1000, failure: 'open' },
        },
      }),
    });
    expect(config.RATE_LIMITS.policies.map((p) => p.label)).toEqual([
      'user',
      'api-key',
      'events.list',
    ]);

    expect(() =>
      load({
        ...required,
        RATE_LIMITS: JSON.stringify({
          user: { algorithm: 'sliding-log', limit: 0, windowMs: 1000, failure: 'open' },
          routes: {
            'no.such.route': { algorithm: 'sliding-log', limit: 1, windowMs: 1, failure: 'open' },
          },
        }),
      }),
    ).toThrow(
      /RATE_LIMITS\.user\.limit: Number must be greater than 0[\s\S]*RATE_LIMITS\.routes\.no\.such\.route: unknown route id/,
    );
    expect(() => load({ ...required, RATE_LIMITS: '{not json' })).toThrow(
      'RATE_LIMITS: must be a JSON object',
    );
  });
});
