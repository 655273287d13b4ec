import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, createServiceApp, loadConfig, stopOnSignals } from '@suite/service-kit';
import { AppModule } from './app.module';
import { documentCallbackOrigins } from './http/psp-simulator.responses';
import { pspSimulatorConfigSchema } from './config/psp-simulator.config';

async function main(): Promise<void> {
  const config = loadConfig(pspSimulatorConfigSchema, process.env, 'psp-simulator');
  const app = await createServiceApp(AppModule.register(config), {
    logLevel: config.LOG_LEVEL,
    openApi: {
      title: 'PSP simulator API',
      description:
        'A card processor test double: charges, refunds, reconciliation lookups and a fault plan for tests.',
      refine: (document) => documentCallbackOrigins(document, config.PSP_CALLBACK_ORIGINS),
    },
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  stopOnSignals(app, { drainMs: config.SHUTDOWN_DRAIN_MS });
  new Logger('Bootstrap').log(`psp-simulator listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  // Bad config is for the operator to fix: say what is wrong, not where in the code.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
