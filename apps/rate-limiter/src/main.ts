import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, createServiceApp, loadConfig, stopOnSignals } from '@suite/service-kit';
import { AppModule } from './app.module';
import { PolicyFileError } from './policies/infra/policy-registry';
import { rateLimiterConfigSchema } from './config/rate-limiter.config';

async function main(): Promise<void> {
  const config = loadConfig(rateLimiterConfigSchema, process.env, 'rate-limiter');
  const app = await createServiceApp(AppModule.register(config), {
    logLevel: config.LOG_LEVEL,
    openApi: {
      title: 'Rate limiter API',
      description: 'Rate-limit decisions, usage reads and the policy admin API.',
    },
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  stopOnSignals(app, { drainMs: config.SHUTDOWN_DRAIN_MS });
  new Logger('Bootstrap').log(`rate-limiter listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  // Bad config or a bad policy file is for the operator to fix: say what is wrong, not
  // where in the code.
  const operatorError = error instanceof ConfigError || error instanceof PolicyFileError;
  console.error(operatorError ? error.message : error);
  process.exit(1);
});
