import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEs256KeyPair, loadConfig } from '@suite/service-kit';
import { gatewayConfigSchema, upstreamTimeoutMs } from './gateway.config';
import { defaultRateLimitPolicyFile } from './rate-limits.config';

const EXAMPLE_FILE = join(__dirname, '../../rate-limits.example.json');
const directory = mkdtempSync(join(tmpdir(), 'gateway-config-'));
let files = 0;
const writePolicyFile = (content: unknown): string => {
  const path = join(directory, `policies-${++files}.json`);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
afterAll(() => rmSync(directory, { recursive: true, force: true }));

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
      SCHEDULER_URL: 'http://127.0.0.1:3006',
      CRAWLER_URL: 'http://127.0.0.1:3008',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: '',
      UPSTREAM_TIMEOUT_MS: 5000,
      RATE_LIMIT_DOMAIN: 'gateway',
      JWT_ISSUER: 'suite',
      JWT_AUDIENCE: 'suite',
      JWT_MAX_AGE_SECONDS: 86_400,
      DEV_TOKENS: 'off',
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: 9464,
      TRUSTED_PROXIES: '',
      TRUSTED_NETWORKS: [],
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

  it('refuses development tokens on a gateway that does not listen on loopback only', () => {
    const devTokens = { ...required, DEV_TOKENS: 'on', DEV_TOKEN_PRIVATE_KEY: keys.privateKeyPem };
    for (const host of ['0.0.0.0', '::', '10.1.2.3']) {
      expect(() => load({ ...devTokens, HOST: host })).toThrow(
        `DEV_TOKENS: must be off unless HOST is a loopback address (HOST is ${host})`,
      );
    }
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      expect(load({ ...devTokens, HOST: host }).DEV_TOKENS).toBe('on');
    }
    expect(load({ ...required, HOST: '0.0.0.0' }).DEV_TOKENS).toBe('off');
  });

  it('reads trusted proxies as addresses and networks, and refuses anything else', () => {
    expect(
      load({ ...required, TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.7' }).TRUSTED_NETWORKS,
    ).toEqual([
      { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
      { address: '192.168.1.7', prefix: 32, family: 'ipv4' },
    ]);
    expect(() => load({ ...required, TRUSTED_PROXIES: 'lb.internal' })).toThrow(
      'TRUSTED_PROXIES: "lb.internal" is not an IP address or CIDR network',
    );
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

  it('gives each upstream its own timeout, UPSTREAM_TIMEOUT_MS when unset', () => {
    const config = load({ ...required, UPSTREAM_TIMEOUT_MS: '4000', AUCTION_TIMEOUT_MS: '1500' });
    expect(upstreamTimeoutMs(config, 'auction')).toBe(1500);
    expect(upstreamTimeoutMs(config, 'rate-limiter')).toBe(4000);
    expect(upstreamTimeoutMs(config, 'ticketing')).toBe(4000);
  });

  it('has built-in rate limits in the policy file format, the same as rate-limits.example.json', () => {
    const limits = load(required).RATE_LIMITS;
    expect(limits).toMatchObject({ domain: 'gateway', source: 'built-in defaults' });
    expect(limits.policies.map((p) => p.name)).toEqual([
      'gateway.per-user',
      'gateway.per-client-ip',
      'gateway.place-hold',
      'gateway.checkout',
      'gateway.create-payment',
      'gateway.refund-payment',
      'gateway.create-auction',
      'gateway.place-bid',
      'gateway.create-job',
      'gateway.start-crawl',
    ]);
    const example: unknown = JSON.parse(readFileSync(EXAMPLE_FILE, 'utf8'));
    expect(example).toEqual(defaultRateLimitPolicyFile());
    expect(
      load({ ...required, RATE_LIMIT_POLICY_FILE: EXAMPLE_FILE }).RATE_LIMITS.policies,
    ).toEqual(limits.policies);
  });

  it('reads the domain it is told to from a policy file, limiter names included', () => {
    const path = writePolicyFile({
      domains: [
        {
          domain: 'api',
          policies: [
            {
              name: 'per-user',
              match: { user: '*' },
              algorithm: 'gcra',
              limit: 5,
              windowMs: 1000,
              burst: 10,
              failure: 'closed',
            },
          ],
        },
      ],
    });
    const limits = load({
      ...required,
      RATE_LIMIT_POLICY_FILE: path,
      RATE_LIMIT_DOMAIN: 'api',
    }).RATE_LIMITS;
    expect(limits).toMatchObject({ domain: 'api', source: path });
    expect(limits.policies[0]?.policy).toEqual({
      name: 'api.per-user',
      algorithm: 'gcra',
      limit: 5,
      windowMs: 1000,
      burst: 10,
      failure: 'closed',
    });
    expect(() => load({ ...required, RATE_LIMIT_POLICY_FILE: path })).toThrow(
      'RATE_LIMIT_POLICY_FILE: has no domain "gateway" (RATE_LIMIT_DOMAIN); domains: api',
    );
  });

  it('refuses a broken policy file at boot, naming every broken field', () => {
    const path = writePolicyFile({
      domains: [
        {
          domain: 'gateway',
          policies: [
            {
              name: 'per-user',
              match: { user: '*' },
              algorithm: 'sliding-log',
              limit: 0,
              windowMs: 1000,
              failure: 'open',
            },
            {
              name: 'bursty',
              match: { route: 'POST /holds' },
              algorithm: 'gcra',
              limit: 1,
              windowMs: 86_400_000,
              burst: 2,
              failure: 'open',
            },
          ],
        },
      ],
    });
    expect(() => load({ ...required, RATE_LIMIT_POLICY_FILE: path })).toThrow(
      /RATE_LIMIT_POLICY_FILE: domains\.0\.policies\.0\.limit: Number must be greater than 0/,
    );
    const limiterIssue = writePolicyFile({
      domains: [
        {
          domain: 'gateway',
          policies: [
            {
              name: 'bursty',
              match: { route: 'POST /holds' },
              algorithm: 'gcra',
              limit: 1,
              windowMs: 86_400_000,
              burst: 2,
              failure: 'open',
            },
          ],
        },
      ],
    });
    expect(() => load({ ...required, RATE_LIMIT_POLICY_FILE: limiterIssue })).toThrow(
      /RATE_LIMIT_POLICY_FILE: domains\.0\.policies\.0\.burst: burst must refill within one day/,
    );
    expect(() =>
      load({ ...required, RATE_LIMIT_POLICY_FILE: join(directory, 'missing.json') }),
    ).toThrow(/RATE_LIMIT_POLICY_FILE: cannot read .*missing\.json as JSON/);
  });
});
