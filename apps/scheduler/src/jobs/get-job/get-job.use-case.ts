import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import { AUTOCOMMIT } from '../../scheduler.tokens';
import { toJobView, type JobView } from '../domain/job';
import { JobsRepository } from '../infra/jobs.repository';

export type GetJobOutcome = { kind: 'found'; job: JobView } | { kind: 'not-found'; jobId: string };

@Injectable()
export class GetJobUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly jobs: JobsRepository,
  ) {}

  async execute(jobId: string): Promise<GetJobOutcome> {
    const job = await this.jobs.find(this.sql, jobId);
    return job ? { kind: 'found', job: toJobView(job) } : { kind: 'not-found', jobId };
  }
}
