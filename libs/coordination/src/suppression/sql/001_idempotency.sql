-- Idempotency keys: one row per (scope, key). Forward-only; never edit once landed.
-- state is the stored half of the lifecycle in idempotency/key-lifecycle.ts:
--   locked     a request holds the key (lock_token) until locked_until;
--              a locked row whose locked_until has passed counts as unlocked
--   unlocked   in flight but nobody holds it; the next retry resumes at recovery_point
--   completed  response_status and response_body are stored and replayed
create table if not exists idempotency_keys (
  scope           text        not null,
  key             text        not null,
  request_method  text        not null,
  request_path    text        not null,
  fingerprint     text        not null,
  state           text        not null,
  recovery_point  text        not null,
  lock_token      text,
  locked_until    timestamptz,
  response_status integer,
  response_body   jsonb,
  version         integer     not null default 0,
  created_at      timestamptz not null,
  updated_at      timestamptz not null,
  expires_at      timestamptz not null,
  primary key (scope, key),
  constraint idempotency_keys_state_check
    check (state in ('locked', 'unlocked', 'completed')),
  -- a locked row always names its holder and its deadline; other rows have neither
  constraint idempotency_keys_lock_check
    check ((state = 'locked') = (lock_token is not null and locked_until is not null)),
  -- a completed row always has a response to replay
  constraint idempotency_keys_response_check
    check (state <> 'completed' or response_status is not null)
);

-- The purge job walks expired keys oldest first.
create index if not exists idempotency_keys_expires_at_idx on idempotency_keys (expires_at);
