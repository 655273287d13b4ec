import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DevTokenSigner, generateEs256KeyPair, loadConfig } from '@suite/service-kit';
import { createTestRedis, integrationEndpoints, type TestRedis } from '@suite/testing';
import { gatewayConfigSchema } from '../config/gateway.config';
import { initGatewayApp } from '../gateway.app';
import type { StubUpstream } from './stub-upstream';

const UPSTREAM_URL_VARS = {
  ticketing: 'TICKETING_URL',
  payments: 'PAYMENTS_URL',
  auction: 'AUCTION_URL',
  'rate-limiter': 'RATE_LIMITER_URL',
  scheduler: 'SCHEDULER_URL',
  crawler: 'CRAWLER_URL',
} as const;

export type UpstreamName = keyof typeof UPSTREAM_URL_VARS;

export interface GatewayUnderTestOptions {
  // Names the Redis key prefix, so runs of different specs never share windows.
  name: string;
  // The services the spec stands in for; every other upstream keeps its default URL.
  upstreams: Partial<Record<UpstreamName, StubUpstream>>;
  // Further settings (timeouts, breaker thresholds), as an operator would write them.
  env?: Record<string, string>;
}

export interface GatewayUnderTest {
  app: NestFastifyApplication;
  // The gateway's Redis key prefix: a spec that plays another process sharing its windows
  // connects through it.
  redis: TestRedis;
  bearer(userId: string, scopes?: string[]): Promise<string>;
  close(): Promise<void>;
}

// The real gateway against stub services on real sockets and the real Redis, signing its
// tokens with a fresh key pair. close() stops the gateway, the stubs and the Redis keys.
export async function startGatewayUnderTest(
  options: GatewayUnderTestOptions,
): Promise<GatewayUnderTest> {
  const keys = generateEs256KeyPair();
  const signer = new DevTokenSigner({
    privateKeyPem: keys.privateKeyPem,
    issuer: 'suite',
    audience: 'suite',
  });
  const stubs = Object.entries(options.upstreams) as [UpstreamName, StubUpstream][];
  const redis: TestRedis = createTestRedis(options.name);
  let app: NestFastifyApplication | undefined;
  const close = async () => {
    await app?.close();
    for (const [, stub] of stubs) await stub.stop();
    await redis.cleanup();
  };
  try {
    const urls: Record<string, string> = {};
    for (const [name, stub] of stubs) urls[UPSTREAM_URL_VARS[name]] = await stub.start();
    const config = loadConfig(
      gatewayConfigSchema,
      {
        LOG_LEVEL: 'fatal',
        REDIS_URL: integrationEndpoints().redisUrl,
        REDIS_KEY_PREFIX: redis.prefix,
        JWT_PUBLIC_KEY: keys.publicKeyPem,
        ...urls,
        ...options.env,
      },
      'gateway',
    );
    app = await initGatewayApp(config, { logLevel: 'fatal' });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    app,
    redis,
    bearer: async (userId, scopes = []) => `Bearer ${await signer.sign({ userId, scopes })}`,
    close,
  };
}
