import { loadConfig } from '@suite/coordination-nest';
import { rateLimiterConfigSchema } from './rate-limiter.config';

const load = (env: Record<string, string>) =>
  loadConfig(rateLimiterConfigSchema, env, 'rate-limiter');

describe('rate-limiter config', () => {
  it('needs only Redis; the policy file is optional', () => {
    const config = load({ REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config).toMatchObject({ PORT: 3005, REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config.POLICY_FILE).toBeUndefined();
  });

  it('keeps the policy file path it is given', () => {
    expect(
      load({ REDIS_URL: 'rediss://cache:6380', POLICY_FILE: 'apps/rate-limiter/policies.json' })
        .POLICY_FILE,
    ).toBe('apps/rate-limiter/policies.json');
  });

  it('refuses to start without Redis, where every window is counted', () => {
    expect(() => load({ POLICY_FILE: 'policies.json' })).toThrow(
      'rate-limiter config is invalid:\n  REDIS_URL: Required',
    );
  });

  it('rejects a port outside 1..65535', () => {
    expect(() => load({ REDIS_URL: 'redis://127.0.0.1:6379', PORT: '70000' })).toThrow(
      'PORT: Number must be less than or equal to 65535',
    );
  });
});
