import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DevTokenSigner,
  generateEs256KeyPair,
  initServiceApp,
  loadConfig,
} from '@suite/service-kit';
import { integrationEndpoints, type TestDatabase } from '@suite/testing';
import { AppModule } from '../app.module';
import { auctionConfigSchema } from '../config/auction.config';

export interface AuctionTestApp {
  app: NestFastifyApplication;
  // A bearer token for this user, valid for the app's key.
  authorization(userId: string): Promise<string>;
  close(): Promise<void>;
}

// The auction service in this process, on a test's own database, Redis prefix and topic,
// with its own signing key (tokens for any user id, as the gateway would issue them).
export async function startAuctionApp(
  db: TestDatabase,
  env: Record<string, string>,
): Promise<AuctionTestApp> {
  const { publicKeyPem, privateKeyPem } = generateEs256KeyPair();
  const signer = new DevTokenSigner({ privateKeyPem, issuer: 'suite', audience: 'suite' });
  const endpoints = integrationEndpoints();
  const config = loadConfig(
    auctionConfigSchema,
    {
      DATABASE_URL: db.url,
      REDIS_URL: endpoints.redisUrl,
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      JWT_PUBLIC_KEY: publicKeyPem,
      LOG_LEVEL: 'fatal',
      ...env,
    },
    'auction',
  );
  const app = await initServiceApp(AppModule.register(config), { logLevel: 'fatal' });
  const tokens = new Map<string, string>();
  return {
    app,
    async authorization(userId) {
      let token = tokens.get(userId);
      if (!token) {
        token = await signer.sign({ userId, scopes: [] });
        tokens.set(userId, token);
      }
      return `Bearer ${token}`;
    },
    close: () => app.close(),
  };
}
