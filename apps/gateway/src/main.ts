import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, stopOnSignals } from '@suite/service-kit';
import { gatewayConfigSchema } from './config/gateway.config';
import { createGatewayApp } from './gateway.app';
import { GatewayMetricsServer } from './metrics/gateway-metrics.server';

async function main(): Promise<void> {
  const config = loadConfig(gatewayConfigSchema, process.env, 'gateway');
  const app = await createGatewayApp(config);
  await app.listen({ host: config.HOST, port: config.PORT });
  stopOnSignals(app, { drainMs: config.SHUTDOWN_DRAIN_MS });
  await app.get(GatewayMetricsServer).start(config.METRICS_HOST, config.METRICS_PORT);
  const url = await app.getUrl();
  new Logger('Bootstrap').log(`gateway listening on ${url}; API docs at ${url}/docs`);
  if (config.DEV_TOKENS === 'on') {
    new Logger('Bootstrap').warn('DEV_TOKENS=on: POST /dev/tokens mints tokens for any user');
  }
}

main().catch((error: unknown) => {
  // Bad config is for the operator to fix: say what is wrong, not where in the code.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
