import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { partitionOf, type SqlExecutor } from '@suite/coordination';
import type { SchedulerConfig } from '../../config/scheduler.config';
import { AUTOCOMMIT, SCHEDULER_CONFIG } from '../../scheduler.tokens';
import {
  firstFire,
  toJobView,
  type JobView,
  type Schedule,
  type ScheduleProblem,
  type Target,
} from '../domain/job';
import { JobsRepository } from '../infra/jobs.repository';

export const MAX_PAYLOAD_BYTES = 16 * 1024;

export type JobRequestProblem =
  | ScheduleProblem
  | 'schedule-missing'
  | 'schedule-ambiguous'
  | 'target-missing'
  | 'target-ambiguous'
  | 'payload-too-large';

export type CreateJobOutcome =
  | { kind: 'created'; job: JobView }
  | { kind: 'invalid'; problem: JobRequestProblem }
  | { kind: 'callback-not-allowed'; origin: string }
  | { kind: 'topic-not-allowed'; prefix: string };

export interface CreateJobInput {
  runAt?: number | undefined;
  cron?: string | undefined;
  callbackUrl?: string | undefined;
  topic?: string | undefined;
  payload?: Record<string, unknown> | undefined;
}

// A new job: its schedule and target checked, its partition fixed from its id, its first fire
// time computed. From then on only the partition's owner fires it.
@Injectable()
export class CreateJobUseCase {
  private readonly callbackOrigins: ReadonlySet<string>;

  constructor(
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly jobs: JobsRepository,
  ) {
    this.callbackOrigins = new Set(config.CALLBACK_ORIGINS);
  }

  async execute(input: CreateJobInput, nowMs: number): Promise<CreateJobOutcome> {
    const hasRunAt = input.runAt !== undefined && input.runAt !== null;
    const hasCron = input.cron !== undefined && input.cron !== null;
    if (hasRunAt === hasCron) {
      return { kind: 'invalid', problem: hasRunAt ? 'schedule-ambiguous' : 'schedule-missing' };
    }
    const hasUrl = input.callbackUrl !== undefined && input.callbackUrl !== null;
    const hasTopic = input.topic !== undefined && input.topic !== null;
    if (hasUrl === hasTopic) {
      return { kind: 'invalid', problem: hasUrl ? 'target-ambiguous' : 'target-missing' };
    }
    const schedule: Schedule = hasRunAt
      ? { kind: 'once', runAt: input.runAt as number }
      : { kind: 'cron', cron: (input.cron as string).trim() };
    let target: Target;
    if (hasUrl) {
      const origin = originOf(input.callbackUrl as string);
      if (origin === undefined || !this.callbackOrigins.has(origin)) {
        return { kind: 'callback-not-allowed', origin: origin ?? 'an unparsable URL' };
      }
      target = { kind: 'http', url: input.callbackUrl as string };
    } else {
      const prefix = this.config.KAFKA_TOPIC_PREFIX;
      if (!(input.topic as string).startsWith(prefix)) return { kind: 'topic-not-allowed', prefix };
      target = { kind: 'kafka', topic: input.topic as string };
    }
    const payloadText = JSON.stringify(input.payload ?? {});
    if (Buffer.byteLength(payloadText) > MAX_PAYLOAD_BYTES) {
      return { kind: 'invalid', problem: 'payload-too-large' };
    }
    const first = firstFire(schedule, nowMs);
    if (!first.ok) return { kind: 'invalid', problem: first.problem };

    const id = randomUUID();
    const job = await this.jobs.insert(this.sql, {
      id,
      partition: partitionOf(id, this.config.SCHEDULER_PARTITIONS),
      schedule,
      target,
      payload: input.payload ?? {},
      firstFireAt: first.at,
    });
    return { kind: 'created', job: toJobView(job) };
  }
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
