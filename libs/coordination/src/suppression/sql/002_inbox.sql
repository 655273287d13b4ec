-- Inbox: one row per message a consumer has applied, written in the effect's transaction.
-- Forward-only; never edit once landed.
create table if not exists inbox_messages (
  consumer     text        not null,
  message_id   text        not null,
  processed_at timestamptz not null,
  primary key (consumer, message_id)
);

-- The purge job walks old entries oldest first.
create index if not exists inbox_messages_processed_at_idx on inbox_messages (processed_at);
