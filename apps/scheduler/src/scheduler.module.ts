import { Module, type DynamicModule } from '@nestjs/common';
import { PostgresPersistenceModule } from '@suite/service-kit';
import type { SchedulerConfig } from './config/scheduler.config';
import { SCHEDULER_MIGRATIONS } from './database/migrations';
import { FiresRepository } from './fires/infra/fires.repository';
import { CancelJobHttpController } from './jobs/cancel-job/cancel-job.http.controller';
import { CancelJobUseCase } from './jobs/cancel-job/cancel-job.use-case';
import { CreateJobHttpController } from './jobs/create-job/create-job.http.controller';
import { CreateJobUseCase } from './jobs/create-job/create-job.use-case';
import { GetJobHttpController } from './jobs/get-job/get-job.http.controller';
import { GetJobUseCase } from './jobs/get-job/get-job.use-case';
import { JobsRepository } from './jobs/infra/jobs.repository';
import { ListFiresHttpController } from './jobs/list-fires/list-fires.http.controller';
import { ListFiresUseCase } from './jobs/list-fires/list-fires.use-case';
import { SCHEDULER_CONFIG } from './scheduler.tokens';
import { SinkRepository } from './sink/infra/sink.repository';
import { ReceiveDeliveryHttpController } from './sink/receive-delivery/receive-delivery.http.controller';
import { ReceiveDeliveryUseCase } from './sink/receive-delivery/receive-delivery.use-case';
import { SchedulerWorkers } from './workers/scheduler.workers';

// Jobs, their fires, the firing loop and the loopback sink over the service's own database.
@Module({})
export class SchedulerModule {
  static register(config: SchedulerConfig): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [
        PostgresPersistenceModule.register({
          url: config.DATABASE_URL,
          migrations: SCHEDULER_MIGRATIONS,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'scheduler',
        }),
      ],
      controllers: [
        CreateJobHttpController,
        GetJobHttpController,
        ListFiresHttpController,
        CancelJobHttpController,
        ...(config.SINK === 'on' ? [ReceiveDeliveryHttpController] : []),
      ],
      providers: [
        { provide: SCHEDULER_CONFIG, useValue: config },
        { provide: JobsRepository, useValue: new JobsRepository() },
        { provide: FiresRepository, useValue: new FiresRepository() },
        { provide: SinkRepository, useValue: new SinkRepository() },
        CreateJobUseCase,
        GetJobUseCase,
        ListFiresUseCase,
        CancelJobUseCase,
        ReceiveDeliveryUseCase,
        SchedulerWorkers,
      ],
    };
  }
}
