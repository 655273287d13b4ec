-- Removes the pending-queue table and its triggers (ADR 0019: measured slower than the claim
-- on the pending partial index, so not kept) from a database that had them, and restores the
-- partial indexes that the claim, the order check and the purge read. On any other database
-- it changes nothing. Forward-only and idempotent. Rows pending stay pending: the queue only
-- mirrored published_at, which is still the record.
drop trigger if exists outbox_pending_insert on outbox_messages;
drop trigger if exists outbox_pending_update on outbox_messages;
drop trigger if exists outbox_pending_delete on outbox_messages;
drop trigger if exists outbox_pending_truncate on outbox_messages;
drop function if exists outbox_pending_after_insert();
drop function if exists outbox_pending_after_update();
drop function if exists outbox_pending_after_delete();
drop function if exists outbox_pending_after_truncate();
drop table if exists outbox_pending;
alter table outbox_messages reset (fillfactor);

create index if not exists outbox_messages_pending_idx
  on outbox_messages (shard, id) where published_at is null;
create index if not exists outbox_messages_pending_key_idx
  on outbox_messages (aggregate_key, id) where published_at is null;
create index if not exists outbox_messages_published_idx
  on outbox_messages (published_at) where published_at is not null;
