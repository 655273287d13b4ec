import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DevTokenSigner, generateEs256KeyPair, JwtVerifier, loadConfig } from '@suite/service-kit';
import { createTestRedis, integrationEndpoints, type TestRedis } from '@suite/testing';
import { gatewayConfigSchema } from './config/gateway.config';
import { initGatewayApp } from './gateway.app';
import { slidingLog, TestPolicyFile } from './testing/policy-file';
import { StubUpstream } from './testing/stub-upstream';

const PER_ADDRESS = 5;

// Requests without a valid token (none, or a bad one) are counted by the client's address
// before authentication, against the real Redis; X-Forwarded-For counts only from a trusted
// proxy; x-api-key means nothing.
describe('limits before authentication', () => {
  const keys = generateEs256KeyPair();
  const signer = new DevTokenSigner({
    privateKeyPem: keys.privateKeyPem,
    issuer: 'suite',
    audience: 'suite',
  });
  const forger = new DevTokenSigner({
    privateKeyPem: generateEs256KeyPair().privateKeyPem,
    issuer: 'suite',
    audience: 'suite',
  });
  const ticketing = new StubUpstream();
  const policies = new TestPolicyFile('gateway', [
    slidingLog('per-user', { user: '*' }, 1000),
    slidingLog('per-client-ip', { client_ip: '*' }, PER_ADDRESS),
  ]);
  let redis: TestRedis;
  let gateway: NestFastifyApplication;
  let behindProxy: NestFastifyApplication;

  beforeAll(async () => {
    redis = createTestRedis('gateway-anonymous');
    const env = {
      LOG_LEVEL: 'fatal',
      REDIS_URL: integrationEndpoints().redisUrl,
      JWT_PUBLIC_KEY: keys.publicKeyPem,
      TICKETING_URL: await ticketing.start(),
      RATE_LIMIT_POLICY_FILE: policies.path,
    };
    gateway = await initGatewayApp(
      loadConfig(gatewayConfigSchema, { ...env, REDIS_KEY_PREFIX: `${redis.prefix}a:` }, 'gateway'),
      { logLevel: 'fatal' },
    );
    behindProxy = await initGatewayApp(
      loadConfig(
        gatewayConfigSchema,
        { ...env, REDIS_KEY_PREFIX: `${redis.prefix}b:`, TRUSTED_PROXIES: '10.0.0.0/8' },
        'gateway',
      ),
      { logLevel: 'fatal' },
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await behindProxy?.close();
    await ticketing.stop();
    await redis?.cleanup();
    policies.remove();
  });

  beforeEach(() => ticketing.reset());

  const events = (
    app: NestFastifyApplication,
    remoteAddress: string,
    headers: Record<string, string> = {},
  ) => app.inject({ method: 'GET', url: '/events', remoteAddress, headers });

  it('limits requests without a token by client address, then answers 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 2; i++) {
      statuses.push((await events(gateway, '198.51.100.1')).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const refused = await events(gateway, '198.51.100.1');
    expect(refused.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(
        /^rate limit "gateway.per-client-ip" exceeded: 5 requests per 60 s/,
      ),
      code: 'rate-limited',
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['ratelimit']).toMatch(/^"gateway.per-client-ip";r=0;/);
    // Another address has its own budget.
    expect((await events(gateway, '198.51.100.2')).statusCode).toBe(401);
    expect(ticketing.requests).toHaveLength(0);
  });

  it('limits failed authentication by client address, and never a valid token', async () => {
    const forged = { authorization: `Bearer ${await forger.sign({ userId: 'admin' })}` };
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 2; i++) {
      statuses.push((await events(gateway, '198.51.100.3', forged)).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // The same address with a valid token counts as its user, not as the address.
    const valid = { authorization: `Bearer ${await signer.sign({ userId: 'buyer-1' })}` };
    const served = await events(gateway, '198.51.100.3', valid);
    expect(served.statusCode).toBe(200);
    expect(served.headers['ratelimit-policy']).toMatch(/^"gateway.per-user";/);
  });

  it('verifies a valid token once per request, though the limit and the route both check it', async () => {
    const verifier = gateway.get(JwtVerifier);
    const verify = jest.spyOn(verifier, 'verify');
    try {
      const valid = { authorization: `Bearer ${await signer.sign({ userId: 'buyer-2' })}` };
      expect((await events(gateway, '198.51.100.9', valid)).statusCode).toBe(200);
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
    }
  });

  it('ignores X-Forwarded-For unless the peer is a trusted proxy', async () => {
    // Off by default: every request from one socket address is one client, whatever it says.
    const spoofed = await Promise.all(
      Array.from({ length: PER_ADDRESS + 1 }, (_, i) =>
        events(gateway, '198.51.100.4', { 'x-forwarded-for': `203.0.113.${i}` }),
      ),
    );
    expect(spoofed.map((r) => r.statusCode).sort()).toEqual([401, 401, 401, 401, 401, 429]);

    // Behind a trusted proxy, the address the proxy appended is the client.
    for (let i = 0; i < PER_ADDRESS; i++) {
      const viaProxy = await events(behindProxy, '10.0.0.2', {
        'x-forwarded-for': `1.2.3.${i}, 203.0.113.50`,
      });
      expect(viaProxy.statusCode).toBe(401);
    }
    // The client's own entries (left of the proxy's) do not buy it a new budget.
    expect(
      (await events(behindProxy, '10.0.0.2', { 'x-forwarded-for': '9.9.9.9, 203.0.113.50' }))
        .statusCode,
    ).toBe(429);
    expect(
      (await events(behindProxy, '10.0.0.2', { 'x-forwarded-for': '203.0.113.51' })).statusCode,
    ).toBe(401);
    // A peer that is not a trusted proxy is the client, whatever its header says.
    expect(
      (await events(behindProxy, '198.51.100.9', { 'x-forwarded-for': '203.0.113.50' })).statusCode,
    ).toBe(401);
  });

  it('gives x-api-key no meaning: not a credential, not counted, not forwarded', async () => {
    const valid = { authorization: `Bearer ${await signer.sign({ userId: 'partner-user' })}` };
    const withKey = await events(gateway, '198.51.100.5', { ...valid, 'x-api-key': 'any thing' });
    expect(withKey.statusCode).toBe(200);
    expect(withKey.headers['ratelimit-policy']).toBe('"gateway.per-user";q=1000;w=60');
    expect(ticketing.requests[0]?.headers['x-api-key']).toBeUndefined();
    // A key alone authenticates nobody.
    expect(
      (await events(gateway, '198.51.100.5', { 'x-api-key': 'partner-secret' })).statusCode,
    ).toBe(401);
  });
});
