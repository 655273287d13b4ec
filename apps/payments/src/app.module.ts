import { Global, Module, type DynamicModule } from '@nestjs/common';
import {
  AuthModule,
  HealthModule,
  ObservabilityModule,
  PostgresReadiness,
} from '@suite/service-kit';
import { PAYMENTS_CONFIG, type PaymentsConfig } from './config/payments.config';
import { PaymentsDatabaseModule } from './database/payments-database.module';
import { CreatePaymentHttpController } from './payments/create-payment/create-payment.http.controller';
import { GetPaymentHttpController } from './payments/get-payment/get-payment.http.controller';
import { paymentsProviders } from './payments/payments.providers';
import { PaymentsWorkers } from './payments/payments.workers';
import { RefundPaymentHttpController } from './payments/refund-payment/refund-payment.http.controller';

@Global()
@Module({})
class PaymentsConfigModule {
  static register(config: PaymentsConfig): DynamicModule {
    return {
      module: PaymentsConfigModule,
      providers: [{ provide: PAYMENTS_CONFIG, useValue: config }],
      exports: [PAYMENTS_CONFIG],
    };
  }
}

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: PaymentsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PaymentsConfigModule.register(config),
        ObservabilityModule.forService('payments', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('payments'),
        // Every route needs the caller's bearer token, verified here with the issuer's public
        // key; health is public. Saga commands come over Kafka and are not HTTP routes.
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
        PaymentsDatabaseModule,
      ],
      controllers: [
        CreatePaymentHttpController,
        RefundPaymentHttpController,
        GetPaymentHttpController,
      ],
      providers: [PostgresReadiness, ...paymentsProviders, PaymentsWorkers],
    };
  }
}
