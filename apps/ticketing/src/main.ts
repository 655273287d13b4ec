import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, createServiceApp, loadConfig, stopOnSignals } from '@suite/service-kit';
import { AppModule } from './app.module';
import { ticketingConfigSchema } from './config/ticketing.config';
import { documentPlaceHold } from './http/ticketing.responses';

async function main(): Promise<void> {
  const config = loadConfig(ticketingConfigSchema, process.env, 'ticketing');
  const app = await createServiceApp(AppModule.register(config), {
    logLevel: config.LOG_LEVEL,
    openApi: {
      title: 'Ticketing API',
      description:
        'Events, seats, holds, checkouts and orders. Every route needs a bearer JWT (ES256).',
      refine: documentPlaceHold,
    },
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  stopOnSignals(app, { drainMs: config.SHUTDOWN_DRAIN_MS });
  new Logger('Bootstrap').log(`ticketing listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  // Bad config is for the operator to fix: say what is wrong, not where in the code.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
