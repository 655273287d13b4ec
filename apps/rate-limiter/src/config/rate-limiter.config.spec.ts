import { generateEs256KeyPair, loadConfig } from '@suite/service-kit';
import { rateLimiterConfigSchema } from './rate-limiter.config';

const { publicKeyPem } = generateEs256KeyPair();
// Every case but the one about the key gets a valid token key.
const load = (env: Record<string, string>) =>
  loadConfig(rateLimiterConfigSchema, { JWT_PUBLIC_KEY: publicKeyPem, ...env }, 'rate-limiter');

describe('rate-limiter config', () => {
  it('needs only Redis and the token key; the policy file is optional', () => {
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

  it('refuses to start without the token key, since /check and /admin verify tokens', () => {
    expect(() =>
      loadConfig(rateLimiterConfigSchema, { REDIS_URL: 'redis://127.0.0.1:6379' }, 'rate-limiter'),
    ).toThrow('rate-limiter config is invalid:\n  JWT_PUBLIC_KEY: Required');
  });

  it('rejects a port outside 1..65535', () => {
    expect(() => load({ REDIS_URL: 'redis://127.0.0.1:6379', PORT: '70000' })).toThrow(
      'PORT: Number must be less than or equal to 65535',
    );
  });
});
