import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, createServiceApp, loadConfig, stopOnSignals } from '@suite/service-kit';
import { AppModule } from './app.module';
import { crawlerConfigSchema } from './config/crawler.config';

async function main(): Promise<void> {
  const config = loadConfig(crawlerConfigSchema, process.env, 'crawler');
  const app = await createServiceApp(AppModule.register(config), {
    logLevel: config.LOG_LEVEL,
    openApi: {
      title: 'Crawler API',
      description:
        'Start a crawl of the loopback web (seeds, politeness interval) and follow it; workers share the frontier by host partitions.',
    },
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  stopOnSignals(app, { drainMs: config.SHUTDOWN_DRAIN_MS });
  new Logger('Bootstrap').log(`crawler listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  // Bad config is for the operator to fix: say what is wrong, not where in the code.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
