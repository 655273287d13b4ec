// Hand-written SQL for saga instances and history, in one place.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlExecutor } from '../../ports/sql-executor';
import { RECORD_MESSAGE_CTE } from '../../suppression/inbox/inbox';
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

// The next command, written by the same statement as the state change that sends it: a
// data-modifying CTE reading `source` (the CTE of the changed saga row, so no row changed
// means no command) with its parameters from $first (see outboxInsert).
export type CommandInsert = (source: string, first: number) => { text: string; params: unknown[] };

// The CTEs that follow a saga row's change in one statement: its history rows and its
// command, each written only if `source` has the row. Parameters from $first on.
function afterChange(
  source: string,
  entries: readonly HistoryEntry[],
  command: CommandInsert | undefined,
  first: number,
): { ctes: string; params: unknown[]; sent: boolean } {
  const ctes: string[] = [];
  const params: unknown[] = [];
  if (entries.length > 0) {
    const history = historyValues(entries, first);
    params.push(...history.params);
    ctes.push(`history as (
      insert into saga_history (saga_id, at, event, step, phase, attempt, detail)
      select ${source}.id, ${source}.at, v.*
        from ${source}, (values ${history.values}) as v (event, step, phase, attempt, detail))`);
  }
  if (command) {
    const insert = command(source, first + params.length);
    params.push(...insert.params);
    ctes.push(`sent as (${insert.text})`);
  }
  return { ctes: ctes.map((cte) => `, ${cte}`).join(''), params, sent: command !== undefined };
}

// The instance, its history and its first command in one statement (one round trip). False
// when an instance with this id exists already (a repeated start): then nothing is written.
export async function insertSagaWithHistory(
  sql: SqlExecutor,
  id: string,
  type: string,
  state: SagaState,
  entries: readonly HistoryEntry[],
  now: number,
  command?: CommandInsert,
): Promise<boolean> {
  const after = afterChange('started', entries, command, 11);
  const { rows } = await sql.query<{ started: number }>(
    `with started as (
       insert into saga_instances (id, saga_type, status, phase, step_index, attempt, waiting, wake_at, context, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
       on conflict (id) do nothing
       returning id, created_at as at)${after.ctes}
     select (select count(*) from started)::int as started${after.sent ? ', (select count(*) from sent)::int as sent' : ''}`,
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
      ...after.params,
    ],
  );
  return rows[0]?.started === 1;
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

// A reply's inbox record and its saga's lock in one statement (one round trip), in that
// order, as processOnce then loadSagaForUpdate would take them: the record first, so a
// redelivery waits on the first delivery's record before it touches the saga, and the lock
// only for a new message. recorded false: the message was applied before (a duplicate).
export async function recordReplyAndLockSaga(
  sql: SqlExecutor,
  consumer: string,
  messageId: string,
  processedAt: number,
  sagaId: string,
): Promise<{ recorded: boolean; saga: StoredSaga | undefined }> {
  const { rows } = await sql.query<{ recorded: number } & (Row | { [K in keyof Row]: null })>(
    `with ${RECORD_MESSAGE_CTE}
     select r.recorded, s.*
       from (select count(*)::int as recorded from recorded) as r
       left join lateral (
         select * from saga_instances where id = $4 and r.recorded = 1 for update
       ) as s on true`,
    [consumer, messageId, new Date(processedAt), sagaId],
  );
  const row = rows[0];
  const recorded = row?.recorded === 1;
  return { recorded, saga: recorded && row.id !== null ? toStored(row as Row) : undefined };
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

// A decision in one statement (one round trip): the instance's new state, its history rows
// and its next command. History and command are written only if the instance exists, as
// the foreign key would demand anyway.
export async function saveSagaWithHistory(
  sql: SqlExecutor,
  id: string,
  state: SagaState,
  entries: readonly HistoryEntry[],
  now: number,
  command?: CommandInsert,
): Promise<void> {
  if (entries.length === 0 && !command) return saveSaga(sql, id, state, now);
  const after = afterChange('saved', entries, command, 10);
  await sql.query(
    `with saved as (${UPDATE_SAGA} returning id, updated_at as at)${after.ctes}
     select (select count(*) from saved)::int as saved${after.sent ? ', (select count(*) from sent)::int as sent' : ''}`,
    [...updateParams(id, state, now), ...after.params],
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
