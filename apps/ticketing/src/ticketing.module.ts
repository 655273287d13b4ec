import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  IdempotencyStore,
  outboxWriter,
  PostgresEpochs,
  SagaOrchestrator,
  FencedHolds,
  systemClock,
  type RedisClient,
  type SqlExecutor,
} from '@suite/coordination';
import {
  HttpMetrics,
  PostgresPersistenceModule,
  ReadinessRegistry,
  createRedisClient,
  redisReadinessCheck,
} from '@suite/service-kit';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { checkoutSaga } from './checkout/domain/checkout.saga';
import { StartCheckoutHttpController } from './checkout/start-checkout/start-checkout.http.controller';
import { StartCheckoutUseCase } from './checkout/start-checkout/start-checkout.use-case';
import { CheckoutSettledListener } from './checkout/infra/checkout-settled.listener';
import { CheckoutRepository } from './checkout/infra/checkout.repository';
import { TicketingWorkers } from './workers/ticketing.workers';
import { TICKETING_COMMANDS_INBOX } from './workers/checkout-steps-consumer';
import { ticketingStepHandlers } from './checkout/saga-steps/ticketing-steps.handlers';
import type { TicketingConfig } from './config/ticketing.config';
import { outboxWriteOptions } from './checkout/infra/ticketing-events';
import { TICKETING_MIGRATIONS } from './database/migrations';
import { SAGA_DATABASE, SagaDatabase } from './database/saga-database';
import { ListEventsHttpController } from './events/list-events/list-events.http.controller';
import { ListEventsUseCase } from './events/list-events/list-events.use-case';
import { ListSeatsHttpController } from './events/list-seats/list-seats.http.controller';
import { EventsRepository } from './events/infra/events.repository';
import { SeatsRepository } from './events/infra/seats.repository';
import { ListSeatsUseCase } from './events/list-seats/list-seats.use-case';
import { ExpireHoldsUseCase } from './holds/expire-holds/expire-holds.use-case';
import { GetHoldUseCase } from './holds/get-hold/get-hold.use-case';
import { GetHoldHttpController } from './holds/get-hold/get-hold.http.controller';
import { HoldAdmission } from './holds/infra/hold-admission';
import { HoldsRepository } from './holds/infra/holds.repository';
import { SeatLeases } from './holds/infra/seat-leases';
import { PlaceHoldHttpController } from './holds/place-hold/place-hold.http.controller';
import { PlaceHoldUseCase } from './holds/place-hold/place-hold.use-case';
import { ReleaseHoldHttpController } from './holds/release-hold/release-hold.http.controller';
import { ReleaseHoldUseCase } from './holds/release-hold/release-hold.use-case';
import { GetOrderHttpController } from './orders/get-order/get-order.http.controller';
import { GetOrderUseCase } from './orders/get-order/get-order.use-case';
import { OrdersRepository } from './orders/infra/orders.repository';
import {
  AUTOCOMMIT,
  CLOCK,
  FENCED_HOLDS,
  ORCHESTRATOR,
  REDIS,
  TICKETING_CONFIG,
  TRANSACTIONS,
} from './ticketing.tokens';

// Reports Redis to readiness and closes it after the workers stopped (the kit's
// PostgresPersistenceModule does the same for the pool).
class TicketingRedis implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    readiness: ReadinessRegistry,
  ) {
    readiness.register('redis', redisReadinessCheck(redis));
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

// Events, seats, holds, checkouts and orders over Postgres, Redis and Kafka.
@Module({})
export class TicketingModule {
  static register(config: TicketingConfig): DynamicModule {
    return {
      module: TicketingModule,
      imports: [
        PostgresPersistenceModule.register({
          url: config.DATABASE_URL,
          migrations: TICKETING_MIGRATIONS,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'ticketing',
        }),
      ],
      controllers: [
        ListEventsHttpController,
        ListSeatsHttpController,
        PlaceHoldHttpController,
        GetHoldHttpController,
        ReleaseHoldHttpController,
        StartCheckoutHttpController,
        GetOrderHttpController,
      ],
      providers: [
        { provide: TICKETING_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
        {
          provide: REDIS,
          useFactory: () =>
            createRedisClient({
              url: config.REDIS_URL,
              clusterNodes: config.REDIS_CLUSTER_NODES,
              keyPrefix: config.REDIS_KEY_PREFIX,
              maxRetriesPerRequest: 2,
            }),
        },
        {
          provide: FENCED_HOLDS,
          inject: [REDIS, AUTOCOMMIT],
          useFactory: (redis: RedisClient, sql: SqlExecutor) =>
            // Ticketing's leases, leader names and epochs live under its own namespace.
            new FencedHolds({ namespace: 'ticketing', redis, epochs: new PostgresEpochs(sql) }),
        },
        {
          provide: SAGA_DATABASE,
          // Opened after the service's data source, which has migrated the schema.
          inject: [getDataSourceToken()],
          useFactory: (main: DataSource) =>
            SagaDatabase.open(main, { url: config.DATABASE_URL, poolSize: config.SAGA_POOL_SIZE }),
        },
        {
          provide: ORCHESTRATOR,
          inject: [
            TRANSACTIONS,
            HttpMetrics,
            HoldsRepository,
            SeatsRepository,
            FENCED_HOLDS,
            SeatLeases,
          ],
          useFactory: (
            tx: ConstructorParameters<typeof SagaOrchestrator>[0]['tx'],
            metrics: HttpMetrics,
            holds: HoldsRepository,
            seats: SeatsRepository,
            fencedHolds: FencedHolds,
            leases: SeatLeases,
          ) => {
            // A quarantined checkout needs a person: alert on this counter.
            const quarantined = new Counter({
              name: 'saga_quarantined_total',
              help: 'Saga instances set aside because their wake-up or reply kept failing.',
              registers: [metrics.registry],
            });
            const logger = new Logger('SagaOrchestrator');
            // Each command wakes the relay on commit (OUTBOX_WAKEUPS): a step's latency
            // is then Kafka's and the participant's, not the relay's poll.
            const write = outboxWriteOptions(config);
            // Ticketing's own steps run here, right after the decision that sends them
            // commits (SagaOrchestrator.drive); the Kafka consumer is the fallback.
            const local =
              config.SAGA_WORKERS === 'on' && config.SAGA_LOCAL_STEPS === 'on'
                ? [
                    {
                      topic: config.TICKETING_COMMANDS_TOPIC,
                      inboxConsumer: TICKETING_COMMANDS_INBOX,
                      handlers: ticketingStepHandlers({
                        holds,
                        seats,
                        fencedHolds,
                        leases,
                        eventsTopic: config.TICKETING_EVENTS_TOPIC,
                        outbox: write,
                      }),
                    },
                  ]
                : [];
            return new SagaOrchestrator({
              tx,
              outbox: outboxWriter(write),
              localParticipants: local,
              onLocalStepError: (sagaId, error) =>
                logger.warn(
                  `a local step of saga ${sagaId} is left to Kafka: ${error instanceof Error ? error.message : String(error)}`,
                ),
              onQuarantined: (sagaId, reason) => {
                quarantined.inc();
                logger.error(`saga ${sagaId} quarantined: ${reason}`);
              },
            }).register(
              checkoutSaga({
                ticketingCommandsTopic: config.TICKETING_COMMANDS_TOPIC,
                paymentsCommandsTopic: config.PAYMENTS_COMMANDS_TOPIC,
                replyTopic: config.TICKETING_REPLIES_TOPIC,
                stepTimeoutMs: config.STEP_TIMEOUT_MS,
                stepMaxAttempts: config.STEP_MAX_ATTEMPTS,
                paymentTimeoutMs: config.PAYMENT_TIMEOUT_MS,
                paymentMaxAttempts: config.PAYMENT_MAX_ATTEMPTS,
              }),
            );
          },
        },
        { provide: IdempotencyStore, useValue: new IdempotencyStore() },
        { provide: EventsRepository, useValue: new EventsRepository() },
        {
          provide: SeatLeases,
          inject: [REDIS, FENCED_HOLDS],
          useFactory: (redis: RedisClient, holds: FencedHolds) =>
            new SeatLeases(redis, holds.namespace),
        },
        { provide: SeatsRepository, useValue: new SeatsRepository() },
        { provide: HoldsRepository, useValue: new HoldsRepository() },
        {
          provide: HoldAdmission,
          inject: [HttpMetrics],
          useFactory: (metrics: HttpMetrics) => {
            // Holds answered 429: the sale outran what HOLD_ADMISSION_* let into Postgres.
            const refused = new Counter({
              name: 'hold_admission_refused_total',
              help: 'Holds turned away with a 429 because the hold admission was full.',
              labelNames: ['why'],
              registers: [metrics.registry],
            });
            return new HoldAdmission({
              inFlight: config.HOLD_ADMISSION_IN_FLIGHT,
              queue: config.HOLD_ADMISSION_QUEUE,
              maxWaitMs: config.HOLD_ADMISSION_WAIT_MS,
              onRefused: (why) => refused.inc({ why }),
            });
          },
        },
        { provide: OrdersRepository, useValue: new OrdersRepository() },
        { provide: CheckoutRepository, useValue: new CheckoutRepository() },
        {
          provide: CheckoutSettledListener,
          inject: [ORCHESTRATOR],
          useFactory: async (orchestrator: SagaOrchestrator) => {
            const logger = new Logger('CheckoutSettledListener');
            // One LISTEN connection per instance; a waiting checkout polls while it is down.
            const listener = new CheckoutSettledListener({
              url: config.DATABASE_URL,
              onSettled: (orderId) => orchestrator.notify(orderId),
              onDown: (error) =>
                logger.warn(
                  `not listening for ended checkouts, waiting checkouts poll every ${config.CHECKOUT_POLL_MS} ms: ${error instanceof Error ? error.message : String(error)}`,
                ),
            });
            if (config.CHECKOUT_WAKEUPS === 'on') await listener.start();
            return listener;
          },
        },
        TicketingRedis,
        ListEventsUseCase,
        ListSeatsUseCase,
        PlaceHoldUseCase,
        GetHoldUseCase,
        ReleaseHoldUseCase,
        ExpireHoldsUseCase,
        GetOrderUseCase,
        StartCheckoutUseCase,
        TicketingWorkers,
      ],
    };
  }
}
