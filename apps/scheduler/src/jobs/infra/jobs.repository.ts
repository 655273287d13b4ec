import type { SqlExecutor } from '@suite/coordination';
import type { Job, JobStatus, Schedule, Target } from '../domain/job';

export interface JobRow {
  id: string;
  partition: number;
  schedule_kind: 'once' | 'cron';
  run_at_ms: number | null;
  cron: string | null;
  target_kind: 'kafka' | 'http';
  target: string;
  payload: unknown;
  status: JobStatus;
  next_fire_at_ms: number | null;
  created_at_ms: number;
  cancelled_at_ms: number | null;
}

// Times leave Postgres as epoch milliseconds (float8), so no driver parses a timestamp.
export const JOB_COLUMNS = `id, partition, schedule_kind,
  (extract(epoch from run_at) * 1000)::float8 as run_at_ms, cron, target_kind, target, payload,
  status, (extract(epoch from next_fire_at) * 1000)::float8 as next_fire_at_ms,
  (extract(epoch from created_at) * 1000)::float8 as created_at_ms,
  (extract(epoch from cancelled_at) * 1000)::float8 as cancelled_at_ms`;

export function scheduleOf(row: Pick<JobRow, 'schedule_kind' | 'run_at_ms' | 'cron'>): Schedule {
  return row.schedule_kind === 'once'
    ? { kind: 'once', runAt: Number(row.run_at_ms) }
    : { kind: 'cron', cron: String(row.cron) };
}

export function targetOf(row: Pick<JobRow, 'target_kind' | 'target'>): Target {
  return row.target_kind === 'kafka'
    ? { kind: 'kafka', topic: row.target }
    : { kind: 'http', url: row.target };
}

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    partition: row.partition,
    schedule: scheduleOf(row),
    target: targetOf(row),
    payload: row.payload,
    status: row.status,
    nextFireAt: row.next_fire_at_ms === null ? null : Number(row.next_fire_at_ms),
    createdAt: Number(row.created_at_ms),
    cancelledAt: row.cancelled_at_ms === null ? null : Number(row.cancelled_at_ms),
  };
}

export interface NewJob {
  id: string;
  partition: number;
  schedule: Schedule;
  target: Target;
  payload: unknown;
  firstFireAt: number;
}

// Jobs: created, read and cancelled through the API; fired by fires.repository.
export class JobsRepository {
  async insert(sql: SqlExecutor, job: NewJob): Promise<Job> {
    const { rows } = await sql.query<JobRow>(
      `insert into jobs (id, partition, schedule_kind, run_at, cron, target_kind, target, payload,
                         next_fire_at, first_fire_at)
       values ($1, $2, $3, to_timestamp($4::float8 / 1000), $5, $6, $7, $8::jsonb,
               to_timestamp($9::float8 / 1000), to_timestamp($9::float8 / 1000))
       returning ${JOB_COLUMNS}`,
      [
        job.id,
        job.partition,
        job.schedule.kind,
        job.schedule.kind === 'once' ? job.schedule.runAt : null,
        job.schedule.kind === 'cron' ? job.schedule.cron : null,
        job.target.kind,
        job.target.kind === 'kafka' ? job.target.topic : job.target.url,
        JSON.stringify(job.payload),
        job.firstFireAt,
      ],
    );
    return toJob(rows[0] as JobRow);
  }

  async find(sql: SqlExecutor, id: string): Promise<Job | undefined> {
    const { rows } = await sql.query<JobRow>(`select ${JOB_COLUMNS} from jobs where id = $1`, [id]);
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  // Cancels an active job: it never fires again. A fire already claimed is still delivered.
  async cancel(sql: SqlExecutor, id: string): Promise<Job | undefined> {
    const { rows } = await sql.query<JobRow>(
      `update jobs set status = 'cancelled', next_fire_at = null, cancelled_at = now()
        where id = $1 and status = 'active'
       returning ${JOB_COLUMNS}`,
      [id],
    );
    return rows[0] ? toJob(rows[0]) : undefined;
  }
}
