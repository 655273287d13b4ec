import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import { AUTOCOMMIT } from '../../scheduler.tokens';
import { toJobView, type JobView } from '../domain/job';
import { JobsRepository } from '../infra/jobs.repository';

export type CancelJobOutcome =
  | { kind: 'cancelled'; job: JobView }
  | { kind: 'not-found'; jobId: string }
  | { kind: 'finished'; job: JobView };

// Stops a job's future fires. A fire already claimed is still delivered (at least once);
// cancelling twice answers the cancelled job again.
@Injectable()
export class CancelJobUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly jobs: JobsRepository,
  ) {}

  async execute(jobId: string): Promise<CancelJobOutcome> {
    const cancelled = await this.jobs.cancel(this.sql, jobId);
    if (cancelled) return { kind: 'cancelled', job: toJobView(cancelled) };
    const job = await this.jobs.find(this.sql, jobId);
    if (!job) return { kind: 'not-found', jobId };
    return job.status === 'cancelled'
      ? { kind: 'cancelled', job: toJobView(job) }
      : { kind: 'finished', job: toJobView(job) };
  }
}
