import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import { toFireView, type FireView } from '../../fires/domain/fire';
import { FiresRepository } from '../../fires/infra/fires.repository';
import { AUTOCOMMIT } from '../../scheduler.tokens';
import { JobsRepository } from '../infra/jobs.repository';

export type ListFiresOutcome =
  | { kind: 'listed'; fires: FireView[] }
  | { kind: 'not-found'; jobId: string };

@Injectable()
export class ListFiresUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly jobs: JobsRepository,
    private readonly fires: FiresRepository,
  ) {}

  async execute(jobId: string, limit: number): Promise<ListFiresOutcome> {
    const job = await this.jobs.find(this.sql, jobId);
    if (!job) return { kind: 'not-found', jobId };
    const fires = await this.fires.listForJob(this.sql, jobId, limit);
    return { kind: 'listed', fires: fires.map(toFireView) };
  }
}
