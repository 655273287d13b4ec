import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, createServiceApp, loadConfig, stopOnSignals } from '@suite/service-kit';
import { AppModule } from './app.module';
import { schedulerConfigSchema } from './config/scheduler.config';

async function main(): Promise<void> {
  const config = loadConfig(schedulerConfigSchema, process.env, 'scheduler');
  const app = await createServiceApp(AppModule.register(config), {
    logLevel: config.LOG_LEVEL,
    openApi: {
      title: 'Scheduler API',
      description:
        'One-off and cron jobs fired at least once, each fire with one idempotency key, by the instance that owns its partition. Jobs need a bearer JWT (ES256); the loopback sink is public.',
    },
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  stopOnSignals(app, { drainMs: config.SHUTDOWN_DRAIN_MS });
  new Logger('Bootstrap').log(`scheduler listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  // Bad config is for the operator to fix: say what is wrong, not where in the code.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
