// Hand-written SQL for saga instances and history, in one place.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlExecutor } from '../../ports/sql-executor';
import type { HistoryEntry, SagaState, Waiting } from './saga.engine';
import type { SagaPhase } from './saga.definition';
import type { SagaStatus } from './saga.transitions';

export const SAGA_MIGRATIONS: readonly { name: string; sql: string }[] = [
  '001_saga.sql',
  '002_saga_quarantine.sql',
].map((name) => ({
  name,
  sql: readFileSync(join(__dirname, 'sql', name), 'utf8'),
}));

export async function applySagaMigrations(sql: SqlExecutor): Promise<void> {
  for (const migration of SAGA_MIGRATIONS) await sql.query(migration.sql);
}

export interface StoredSaga extends SagaState {
  id: string;
  type: string;
  createdAt: number;
  updatedAt: number;
  // Set while the instance is set aside for a person (see quarantineSaga).
  quarantinedAt: number | null;
  quarantineReason: string | null;
}

interface Row {
  id: string;
  saga_type: string;
  status: SagaStatus;
  phase: SagaPhase;
  step_index: number;
  attempt: number;
  waiting: Waiting;
  wake_at: Date | null;
  context: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  quarantined_at: Date | null;
  quarantine_reason: string | null;
}

const toStored = (r: Row): StoredSaga => ({
  id: r.id,
  type: r.saga_type,
  status: r.status,
  phase: r.phase,
  stepIndex: r.step_index,
  attempt: r.attempt,
  waiting: r.waiting,
  wakeAt: r.wake_at ? r.wake_at.getTime() : null,
  context: r.context,
  createdAt: r.created_at.getTime(),
  updatedAt: r.updated_at.getTime(),
  quarantinedAt: r.quarantined_at ? r.quarantined_at.getTime() : null,
  quarantineReason: r.quarantine_reason,
});

const ts = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

// False when an instance with this id exists already (a repeated start).
export async function insertSaga(
  sql: SqlExecutor,
  id: string,
  type: string,
  state: SagaState,
  now: number,
): Promise<boolean> {
  const { rowCount } = await sql.query(
    `insert into saga_instances (id, saga_type, status, phase, step_index, attempt, waiting, wake_at, context, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
     on conflict (id) do nothing`,
    [
      id,
      type,
      state.status,
      state.phase,
      state.stepIndex,
      state.attempt,
      state.waiting,
      ts(state.wakeAt),
      JSON.stringify(state.context),
      ts(now),
    ],
  );
  return rowCount === 1;
}

// Locks the row for the rest of the caller's transaction: replies and wake-ups of one
// instance are applied one at a time.
export async function loadSagaForUpdate(
  sql: SqlExecutor,
  id: string,
): Promise<StoredSaga | undefined> {
  const { rows } = await sql.query<Row>('select * from saga_instances where id = $1 for update', [
    id,
  ]);
  return rows[0] ? toStored(rows[0]) : undefined;
}

export async function loadSaga(sql: SqlExecutor, id: string): Promise<StoredSaga | undefined> {
  const { rows } = await sql.query<Row>('select * from saga_instances where id = $1', [id]);
  return rows[0] ? toStored(rows[0]) : undefined;
}

// The state a decision leaves, as saveSaga and saveSagaWithHistory write it: $1 to $9.
const UPDATE_SAGA = `
  update saga_instances
     set status = $2, phase = $3, step_index = $4, attempt = $5, waiting = $6, wake_at = $7,
         context = $8, updated_at = $9, processing_failures = 0
   where id = $1`;

const updateParams = (id: string, state: SagaState, now: number): unknown[] => [
  id,
  state.status,
  state.phase,
  state.stepIndex,
  state.attempt,
  state.waiting,
  ts(state.wakeAt),
  JSON.stringify(state.context),
  ts(now),
];

export async function saveSaga(
  sql: SqlExecutor,
  id: string,
  state: SagaState,
  now: number,
): Promise<void> {
  await sql.query(UPDATE_SAGA, updateParams(id, state, now));
}

// A decision's history rows as one VALUES list, parameters from $first on.
function historyValues(
  entries: readonly HistoryEntry[],
  first: number,
): { values: string; params: unknown[] } {
  const params: unknown[] = [];
  const rows = entries.map((e) => {
    const at = first + params.length;
    params.push(
      e.event,
      e.step ?? null,
      e.phase ?? null,
      e.attempt ?? null,
      e.detail ? JSON.stringify(e.detail) : null,
    );
    return `($${at}, $${at + 1}, $${at + 2}, $${at + 3}::integer, $${at + 4}::jsonb)`;
  });
  return { values: rows.join(', '), params };
}

// All of a decision's entries in one statement: one round trip however many there are.
export async function appendHistory(
  sql: SqlExecutor,
  id: string,
  entries: readonly HistoryEntry[],
  now: number,
): Promise<void> {
  if (entries.length === 0) return;
  const { values, params } = historyValues(entries, 3);
  await sql.query(
    `insert into saga_history (saga_id, at, event, step, phase, attempt, detail)
     select $1, $2::timestamptz, v.* from (values ${values}) as v (event, step, phase, attempt, detail)`,
    [id, ts(now), ...params],
  );
}

// saveSaga and appendHistory in one statement (one round trip): a decision's state and its
// history rows. The history is written only if the instance exists, as the foreign key
// would demand anyway.
export async function saveSagaWithHistory(
  sql: SqlExecutor,
  id: string,
  state: SagaState,
  entries: readonly HistoryEntry[],
  now: number,
): Promise<void> {
  if (entries.length === 0) return saveSaga(sql, id, state, now);
  const { values, params } = historyValues(entries, 10);
  await sql.query(
    `with saved as (${UPDATE_SAGA} returning id, updated_at)
     insert into saga_history (saga_id, at, event, step, phase, attempt, detail)
     select saved.id, saved.updated_at, v.*
       from saved, (values ${values}) as v (event, step, phase, attempt, detail)`,
    [...updateParams(id, state, now), ...params],
  );
}

export interface HistoryRecord extends HistoryEntry {
  at: number;
}

export async function loadHistory(sql: SqlExecutor, id: string): Promise<HistoryRecord[]> {
  const { rows } = await sql.query<{
    at: Date;
    event: string;
    step: string | null;
    phase: SagaPhase | null;
    attempt: number | null;
    detail: Record<string, unknown> | null;
  }>(
    'select at, event, step, phase, attempt, detail from saga_history where saga_id = $1 order by id',
    [id],
  );
  return rows.map((r) => ({
    at: r.at.getTime(),
    event: r.event,
    ...(r.step !== null ? { step: r.step } : {}),
    ...(r.phase !== null ? { phase: r.phase } : {}),
    ...(r.attempt !== null ? { attempt: r.attempt } : {}),
    ...(r.detail !== null ? { detail: r.detail } : {}),
  }));
}

// Ids of non-terminal, unquarantined instances whose wait is over, oldest first. Not
// locked: each is then claimed in its own transaction (claimDueSaga), so one instance that
// fails cannot hold back the others.
export async function findDueSagaIds(
  sql: SqlExecutor,
  now: number,
  limit: number,
): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `select id from saga_instances
      where status in ('running', 'compensating') and wake_at <= $1 and quarantined_at is null
      order by wake_at
      limit $2`,
    [ts(now), limit],
  );
  return rows.map((r) => r.id);
}

// Locks one instance if it is still due; an instance another recoverer or a reply holds
// is skipped rather than waited for.
export async function claimDueSaga(
  sql: SqlExecutor,
  id: string,
  now: number,
): Promise<StoredSaga | undefined> {
  const { rows } = await sql.query<Row>(
    `select * from saga_instances
      where id = $1 and status in ('running', 'compensating') and wake_at <= $2
        and quarantined_at is null
      for update skip locked`,
    [id, ts(now)],
  );
  return rows[0] ? toStored(rows[0]) : undefined;
}

// Counts one failed wake-up and moves the next one back (backoffMs, doubled per failure in
// a row); at `quarantineAfter` failures in a row the instance is quarantined instead.
// Returns whether it was.
export async function recordProcessingFailure(
  sql: SqlExecutor,
  id: string,
  reason: string,
  now: number,
  backoffMs: number,
  quarantineAfter: number,
): Promise<boolean> {
  const { rows } = await sql.query<{ quarantined: boolean }>(
    `update saga_instances
        set processing_failures = processing_failures + 1,
            quarantined_at = case when processing_failures + 1 >= $3 then $2::timestamptz end,
            quarantine_reason = case when processing_failures + 1 >= $3 then $4 end,
            wake_at = case when processing_failures + 1 >= $3 then wake_at
                           else $2::timestamptz
                                + make_interval(secs => $5::float8 * power(2, processing_failures) / 1000)
                      end
      where id = $1 and quarantined_at is null
      returning quarantined_at is not null as quarantined`,
    [id, ts(now), quarantineAfter, reason, backoffMs],
  );
  return rows[0]?.quarantined ?? false;
}

export async function quarantineSaga(
  sql: SqlExecutor,
  id: string,
  reason: string,
  now: number,
): Promise<void> {
  await sql.query(
    `update saga_instances set quarantined_at = $2, quarantine_reason = $3
      where id = $1 and quarantined_at is null`,
    [id, ts(now), reason],
  );
}

// A person has fixed the cause: the instance is due again at once.
export async function releaseQuarantinedSaga(
  sql: SqlExecutor,
  id: string,
  now: number,
): Promise<boolean> {
  const { rowCount } = await sql.query(
    `update saga_instances
        set quarantined_at = null, quarantine_reason = null, processing_failures = 0,
            wake_at = $2
      where id = $1 and quarantined_at is not null and status in ('running', 'compensating')`,
    [id, ts(now)],
  );
  return rowCount === 1;
}
