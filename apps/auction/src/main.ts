import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, createServiceApp, loadConfig, stopOnSignals } from '@suite/service-kit';
import { AppModule } from './app.module';
import { auctionConfigSchema } from './config/auction.config';

async function main(): Promise<void> {
  const config = loadConfig(auctionConfigSchema, process.env, 'auction');
  const app = await createServiceApp(AppModule.register(config), {
    logLevel: config.LOG_LEVEL,
    openApi: {
      title: 'Auction API',
      description:
        'Auctions and their bids. Reads are public; creating an auction and bidding need a bearer JWT (ES256).',
    },
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  stopOnSignals(app, { drainMs: config.SHUTDOWN_DRAIN_MS });
  new Logger('Bootstrap').log(`auction listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  // Bad config is for the operator to fix: say what is wrong, not where in the code.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
