-- Transactional outbox: one row per event, inserted in the domain transaction that
-- caused it. Forward-only; never edit once landed.
create table if not exists outbox_messages (
  id            bigserial   primary key,
  -- The id consumers dedupe on (inbox); it travels in the message-id header.
  message_id    uuid        not null default gen_random_uuid(),
  -- Which relay publishes the row: shardOf(aggregate_key, shardCount). All rows of one
  -- aggregate key share a shard, so per-key order is kept by one relay.
  shard         integer     not null,
  topic         text        not null,
  aggregate_key text        not null,
  payload       text        not null,
  headers       jsonb       not null default '{}'::jsonb,
  -- Database time, so lag is measured on one clock.
  created_at    timestamptz not null default clock_timestamp(),
  published_at  timestamptz,
  constraint outbox_messages_message_id_key unique (message_id),
  constraint outbox_messages_shard_check check (shard >= 0)
);

-- The relay's claim: pending rows of one shard in id order.
create index if not exists outbox_messages_pending_idx
  on outbox_messages (shard, id) where published_at is null;
-- The per-key order check: is an earlier row of this key still pending?
create index if not exists outbox_messages_pending_key_idx
  on outbox_messages (aggregate_key, id) where published_at is null;
-- The purge job: published rows, oldest first.
create index if not exists outbox_messages_published_idx
  on outbox_messages (published_at) where published_at is not null;
