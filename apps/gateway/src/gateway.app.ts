import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp, type ServiceAppOptions } from '@suite/service-kit';
import { AppModule } from './app.module';
import type { GatewayConfig } from './config/gateway.config';
import { GATEWAY_OPENAPI } from './http/gateway.openapi';

// The gateway as main.ts runs it: the service app with its OpenAPI document and UI.
export async function createGatewayApp(
  config: GatewayConfig,
  options: Partial<ServiceAppOptions> = {},
): Promise<NestFastifyApplication> {
  return createServiceApp(AppModule.register(config), {
    logLevel: config.LOG_LEVEL,
    openApi: GATEWAY_OPENAPI,
    ...options,
  });
}

// createGatewayApp, initialised and ready for app.inject() without a port.
export async function initGatewayApp(
  config: GatewayConfig,
  options: Partial<ServiceAppOptions> = {},
): Promise<NestFastifyApplication> {
  const app = await createGatewayApp(config, options);
  try {
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
