-- Selection: durable state behind fencing tokens. Forward-only; never edit once landed.

-- Epochs for fencing tokens (token = epoch * 2^32 + counter). One value is taken each time a
-- scope's epoch key is missing in Redis (first use, or Redis lost its keys). maxvalue keeps
-- epoch * 2^32 + counter a safe integer; no cycle makes exhaustion an error, never a wrap.
create sequence if not exists coordination_fencing_epoch
  as bigint minvalue 1 maxvalue 2097151 no cycle;

-- Storage-side fence: the highest token that has written to each resource. A write carrying a
-- lower token is refused (selection/fenced-write.ts), in the writer's own transaction.
create table if not exists coordination_fences (
  resource   text primary key,
  token      bigint not null check (token > 0),
  updated_at timestamptz not null default now()
);
