import type { MigrationInterface, QueryRunner } from 'typeorm';

// Forward-only; never edit once landed. The frontier's primary key (crawl, normalised URL) is
// the deduplication: a URL found again, by any worker, inserts nothing.
export class CrawlsAndFrontier1762000002000 implements MigrationInterface {
  name = 'CrawlsAndFrontier1762000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table crawls (
        id              text        primary key,
        seeds           jsonb       not null,
        min_interval_ms integer     not null check (min_interval_ms >= 0),
        max_depth       integer     not null check (max_depth >= 0),
        status          text        not null default 'running'
                                    check (status in ('running', 'finished')),
        created_at      timestamptz not null default now(),
        finished_at     timestamptz
      )`);
    await queryRunner.query(`
      create table frontier (
        crawl_id    text        not null references crawls (id),
        url         text        not null,
        host        text        not null,
        partition   integer     not null check (partition >= 0),
        depth       integer     not null check (depth >= 0),
        state       text        not null default 'queued'
                                check (state in ('queued', 'fetching', 'done')),
        outcome     text,
        status_code integer,
        -- the fencing token of the claim that is fetching (or fetched) it
        fetch_token bigint,
        attempts    integer     not null default 0,
        found_at    timestamptz not null default now(),
        fetched_at  timestamptz,
        primary key (crawl_id, url)
      )`);
    await queryRunner.query(
      `create index frontier_open_idx on frontier (partition, crawl_id, host)
         where state in ('queued', 'fetching')`,
    );
    await queryRunner.query(`
      create table robots (
        crawl_id text  not null references crawls (id),
        host     text  not null,
        disallow jsonb not null,
        primary key (crawl_id, host)
      )`);
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
