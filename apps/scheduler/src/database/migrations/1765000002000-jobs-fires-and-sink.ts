import type { MigrationInterface, QueryRunner } from 'typeorm';

// Forward-only; never edit once landed.
export class JobsFiresAndSink1765000002000 implements MigrationInterface {
  name = 'JobsFiresAndSink1765000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table jobs (
        id            uuid        primary key,
        partition     integer     not null check (partition >= 0),
        schedule_kind text        not null check (schedule_kind in ('once', 'cron')),
        run_at        timestamptz,
        cron          text,
        target_kind   text        not null check (target_kind in ('kafka', 'http')),
        target        text        not null,
        payload       jsonb       not null,
        status        text        not null default 'active'
                                  check (status in ('active', 'done', 'cancelled')),
        next_fire_at  timestamptz,
        -- the first time it fires: where the verifier starts counting its schedule
        first_fire_at timestamptz not null,
        created_at    timestamptz not null default now(),
        cancelled_at  timestamptz,
        check ((schedule_kind = 'once') = (run_at is not null)),
        check ((schedule_kind = 'cron') = (cron is not null)),
        -- an active job always has a next fire; a finished one never does
        check ((status = 'active') = (next_fire_at is not null))
      )`);
    // The firing loop's one question: what is due in this partition, earliest first.
    await queryRunner.query(
      `create index jobs_due_idx on jobs (partition, next_fire_at) where status = 'active'`,
    );
    // Every write to fires takes a number from this sequence, so the verifier can replay the
    // writes of each partition in commit order and find a token that went backwards.
    await queryRunner.query(`create sequence fire_writes`);
    await queryRunner.query(`
      create table fires (
        job_id          uuid        not null references jobs (id),
        scheduled_at    timestamptz not null,
        idempotency_key text        not null unique,
        partition       integer     not null,
        status          text        not null default 'pending'
                                    check (status in ('pending', 'delivered')),
        attempts        integer     not null default 0,
        claimed_at      timestamptz not null default now(),
        claimed_by      text        not null,
        claimed_token   bigint      not null,
        claimed_seq     bigint      not null,
        delivered_at    timestamptz,
        delivered_by    text,
        delivered_token bigint,
        delivered_seq   bigint,
        primary key (job_id, scheduled_at)
      )`);
    await queryRunner.query(
      `create index fires_pending_idx on fires (partition, claimed_at) where status = 'pending'`,
    );
    // The loopback sink: one row per idempotency key. The first delivery of a key applies
    // its effect; later ones only count.
    await queryRunner.query(`
      create table sink_deliveries (
        idempotency_key  text        primary key,
        job_id           text        not null,
        scheduled_at     timestamptz not null,
        first_at         timestamptz not null default clock_timestamp(),
        last_at          timestamptz not null default clock_timestamp(),
        deliveries       integer     not null default 1
      )`);
    await queryRunner.query(
      `create index sink_deliveries_fire_idx on sink_deliveries (job_id, scheduled_at)`,
    );
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
