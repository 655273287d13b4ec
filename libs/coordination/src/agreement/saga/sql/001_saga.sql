-- Saga instances and their history. Forward-only: later changes go in new files.
create table if not exists saga_instances (
  id          text primary key,
  saga_type   text not null,
  status      text not null check (status in ('running', 'compensating', 'completed', 'compensated', 'failed')),
  phase       text not null check (phase in ('action', 'compensation')),
  -- The step being run (phase action) or undone (phase compensation).
  step_index  integer not null,
  attempt     integer not null,
  -- What the instance waits for: a participant's reply, or the end of a retry backoff.
  waiting     text not null check (waiting in ('reply', 'retry', 'nothing')),
  -- When the wait ends: the reply deadline or the retry time. Null once terminal.
  wake_at     timestamptz,
  context     jsonb not null,
  created_at  timestamptz not null,
  updated_at  timestamptz not null
);

-- The recoverer's scan: non-terminal instances whose wait is over.
create index if not exists saga_instances_due on saga_instances (wake_at)
  where status in ('running', 'compensating');

create table if not exists saga_history (
  id        bigserial primary key,
  saga_id   text not null references saga_instances (id),
  at        timestamptz not null,
  event     text not null,
  step      text,
  phase     text,
  attempt   integer,
  detail    jsonb
);

create index if not exists saga_history_by_saga on saga_history (saga_id, id);
