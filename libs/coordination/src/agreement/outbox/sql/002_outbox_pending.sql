-- The relay's queue: one narrow row per outbox row not yet published (ADR 0019). The relay
-- claims from it and the mark deletes from it, so neither reads nor rewrites an index of the
-- record, whose only indexes left are the primary key and message_id: the mark's update of
-- published_at is then a HOT update (no index entry written) when the page has room.
-- Triggers keep the queue equal to "rows of outbox_messages with published_at is null"
-- whatever writes the record (writeOutbox, a hand-written insert, an older relay, a test
-- that marks a row by hand), so every reader of outbox_messages is unchanged.
-- Forward-only and idempotent; rows pending when it runs stay pending.
create table if not exists outbox_pending (
  shard         integer not null,
  id            bigint  not null,
  aggregate_key text    not null,
  -- The claim: one shard's pending rows in id order.
  constraint outbox_pending_pkey primary key (shard, id)
);
-- The per-key order check: is an earlier row of this key still pending?
create index if not exists outbox_pending_key_idx on outbox_pending (aggregate_key, id);

create or replace function outbox_pending_after_insert() returns trigger
language plpgsql as $$
begin
  insert into outbox_pending (shard, id, aggregate_key)
  select shard, id, aggregate_key from outbox_inserted where published_at is null
  on conflict do nothing;
  return null;
end $$;

-- A row marked published leaves the queue; a row set back to pending by hand joins it.
create or replace function outbox_pending_after_update() returns trigger
language plpgsql as $$
begin
  delete from outbox_pending
   where shard = any(array(select distinct shard from outbox_updated where published_at is not null))
     and id = any(array(select id from outbox_updated where published_at is not null));
  insert into outbox_pending (shard, id, aggregate_key)
  select shard, id, aggregate_key from outbox_updated where published_at is null
  on conflict do nothing;
  return null;
end $$;

create or replace function outbox_pending_after_delete() returns trigger
language plpgsql as $$
begin
  delete from outbox_pending
   where shard = any(array(select distinct shard from outbox_deleted))
     and id = any(array(select id from outbox_deleted));
  return null;
end $$;

create or replace function outbox_pending_after_truncate() returns trigger
language plpgsql as $$
begin
  truncate outbox_pending;
  return null;
end $$;

-- Statement triggers with transition tables: one call per statement, not per row. The
-- deletes name the keys as arrays so that they look them up in the primary key whatever the
-- queue's size (a join with a transition table, which has no statistics, may scan it).
drop trigger if exists outbox_pending_insert on outbox_messages;
create trigger outbox_pending_insert after insert on outbox_messages
  referencing new table as outbox_inserted
  for each statement execute function outbox_pending_after_insert();
drop trigger if exists outbox_pending_update on outbox_messages;
create trigger outbox_pending_update after update on outbox_messages
  referencing new table as outbox_updated
  for each statement execute function outbox_pending_after_update();
drop trigger if exists outbox_pending_delete on outbox_messages;
create trigger outbox_pending_delete after delete on outbox_messages
  referencing old table as outbox_deleted
  for each statement execute function outbox_pending_after_delete();
drop trigger if exists outbox_pending_truncate on outbox_messages;
create trigger outbox_pending_truncate after truncate on outbox_messages
  for each statement execute function outbox_pending_after_truncate();

-- Rows pending now. No row escapes both this copy and the triggers: creating a trigger waits
-- for every transaction that has written the table to end (they are committed, so this
-- statement sees their rows), and every insert after it fires the trigger.
insert into outbox_pending (shard, id, aggregate_key)
select shard, id, aggregate_key from outbox_messages where published_at is null
on conflict do nothing;

-- The indexes that mentioned published_at, replaced by the queue. With them gone the mark
-- changes no indexed column; the record keeps a fifth of each page free for those updates.
drop index if exists outbox_messages_pending_idx;
drop index if exists outbox_messages_pending_key_idx;
drop index if exists outbox_messages_published_idx;
alter table outbox_messages set (fillfactor = 80);
