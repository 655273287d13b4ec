-- Quarantine: an instance whose wake-up or reply cannot be applied (the code throws for it,
-- while the database answers) is set aside, so it cannot block the other instances' timeouts
-- or a Kafka partition's replies. It stays non-terminal and counted until a person releases it.
alter table saga_instances add column if not exists processing_failures integer not null default 0;
alter table saga_instances add column if not exists quarantined_at timestamptz;
alter table saga_instances add column if not exists quarantine_reason text;

-- The recoverer's scan skips quarantined instances.
create index if not exists saga_instances_due_unquarantined on saga_instances (wake_at)
  where status in ('running', 'compensating') and quarantined_at is null;
