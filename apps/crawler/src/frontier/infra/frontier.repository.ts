import type { SqlExecutor } from '@suite/coordination';
import type { CrawlView, FetchOutcome, NewCrawl } from '../../crawls/domain/crawl';

export interface FrontierEntry {
  url: string;
  host: string;
  partition: number;
  depth: number;
}

export interface Candidate extends FrontierEntry {
  crawlId: string;
  minIntervalMs: number;
  maxDepth: number;
}

// The frontier in Postgres: crawls, their URLs (the primary key is the deduplication) and
// each host's robots rules. Stateless; every method runs on the executor it is given, so the
// caller decides what commits with the partition's fence.
export class FrontierRepository {
  async insertCrawl(sql: SqlExecutor, crawl: NewCrawl): Promise<void> {
    await sql.query(
      `insert into crawls (id, seeds, min_interval_ms, max_depth) values ($1, $2, $3, $4)`,
      [crawl.id, JSON.stringify(crawl.seeds), crawl.minIntervalMs, crawl.maxDepth],
    );
  }

  // Inserts the URLs the frontier has never seen in this crawl; a URL already there (queued,
  // fetching or done, by whichever worker) inserts nothing. Returns how many were new.
  async enqueue(
    sql: SqlExecutor,
    crawlId: string,
    entries: readonly FrontierEntry[],
  ): Promise<number> {
    if (entries.length === 0) return 0;
    const result = await sql.query(
      `insert into frontier (crawl_id, url, host, partition, depth)
       select $1, e.url, e.host, e.partition, e.depth
         from unnest($2::text[], $3::text[], $4::int[], $5::int[]) as e(url, host, partition, depth)
       on conflict (crawl_id, url) do nothing`,
      [
        crawlId,
        entries.map((e) => e.url),
        entries.map((e) => e.host),
        entries.map((e) => e.partition),
        entries.map((e) => e.depth),
      ],
    );
    return result.rowCount ?? 0;
  }

  // Queued URLs of running crawls in the given partitions, at most one per (crawl, host):
  // a host is fetched by one request at a time. Shallow first.
  async candidates(
    sql: SqlExecutor,
    partitions: readonly number[],
    limit: number,
  ): Promise<Candidate[]> {
    const { rows } = await sql.query<{
      crawl_id: string;
      url: string;
      host: string;
      partition: number;
      depth: number;
      min_interval_ms: number;
      max_depth: number;
    }>(
      `select * from (
         select distinct on (f.crawl_id, f.host)
                f.crawl_id, f.url, f.host, f.partition, f.depth, c.min_interval_ms, c.max_depth
           from frontier f join crawls c on c.id = f.crawl_id
          where f.state = 'queued' and f.partition = any($1::int[]) and c.status = 'running'
          order by f.crawl_id, f.host, f.depth, f.url) per_host
        order by depth
        limit $2`,
      [partitions, limit],
    );
    return rows.map((r) => ({
      crawlId: r.crawl_id,
      url: r.url,
      host: r.host,
      partition: r.partition,
      depth: r.depth,
      minIntervalMs: r.min_interval_ms,
      maxDepth: r.max_depth,
    }));
  }

  // queued -> fetching under `token`. False when it is not queued any more: another claim
  // took it first.
  async claim(sql: SqlExecutor, crawlId: string, url: string, token: number): Promise<boolean> {
    const result = await sql.query(
      `update frontier set state = 'fetching', fetch_token = $3, attempts = attempts + 1
        where crawl_id = $1 and url = $2 and state = 'queued'`,
      [crawlId, url, token],
    );
    return (result.rowCount ?? 0) === 1;
  }

  // fetching -> done, only by the claim that is fetching it.
  async complete(
    sql: SqlExecutor,
    crawlId: string,
    url: string,
    token: number,
    outcome: FetchOutcome,
    statusCode: number | null,
  ): Promise<boolean> {
    const result = await sql.query(
      `update frontier set state = 'done', outcome = $4, status_code = $5, fetched_at = now()
        where crawl_id = $1 and url = $2 and state = 'fetching' and fetch_token = $3`,
      [crawlId, url, token, outcome, statusCode],
    );
    return (result.rowCount ?? 0) === 1;
  }

  // fetching -> queued after a network error, for another attempt.
  async release(sql: SqlExecutor, crawlId: string, url: string, token: number): Promise<void> {
    await sql.query(
      `update frontier set state = 'queued'
        where crawl_id = $1 and url = $2 and state = 'fetching' and fetch_token = $3`,
      [crawlId, url, token],
    );
  }

  // A new owner of a partition puts back what an older owner left fetching: that owner lost
  // the partition, and its completion would be refused by the fence.
  async adopt(sql: SqlExecutor, partition: number, token: number): Promise<number> {
    const result = await sql.query(
      `update frontier set state = 'queued'
        where partition = $1 and state = 'fetching' and fetch_token < $2`,
      [partition, token],
    );
    return result.rowCount ?? 0;
  }

  async robots(sql: SqlExecutor, crawlId: string, host: string): Promise<string[] | undefined> {
    const { rows } = await sql.query<{ disallow: string[] }>(
      `select disallow from robots where crawl_id = $1 and host = $2`,
      [crawlId, host],
    );
    return rows[0]?.disallow;
  }

  async saveRobots(
    sql: SqlExecutor,
    crawlId: string,
    host: string,
    disallow: readonly string[],
  ): Promise<void> {
    await sql.query(
      `insert into robots (crawl_id, host, disallow) values ($1, $2, $3)
       on conflict (crawl_id, host) do nothing`,
      [crawlId, host, JSON.stringify(disallow)],
    );
  }

  // A crawl is finished when nothing of it is queued or fetching. A completion that adds
  // links inserts them in the transaction that marks its own URL done, so while it is in
  // flight its URL still reads as fetching here, and the crawl cannot be finished early.
  async finishIfDone(sql: SqlExecutor, crawlId: string): Promise<boolean> {
    const result = await sql.query(
      `update crawls set status = 'finished', finished_at = now()
        where id = $1 and status = 'running'
          and not exists (select 1 from frontier
                           where crawl_id = $1 and state in ('queued', 'fetching'))`,
      [crawlId],
    );
    return (result.rowCount ?? 0) === 1;
  }

  async runningCrawls(sql: SqlExecutor): Promise<string[]> {
    const { rows } = await sql.query<{ id: string }>(
      `select id from crawls where status = 'running'`,
    );
    return rows.map((r) => r.id);
  }

  async view(sql: SqlExecutor, id: string): Promise<CrawlView | undefined> {
    const { rows } = await sql.query<{
      id: string;
      status: 'running' | 'finished';
      seeds: string[];
      min_interval_ms: number;
      max_depth: number;
      created_at: Date;
      finished_at: Date | null;
      seconds: number;
    }>(
      `select id, status, seeds, min_interval_ms, max_depth, created_at, finished_at,
              extract(epoch from coalesce(finished_at, now()) - created_at)::float8 as seconds
         from crawls where id = $1`,
      [id],
    );
    const crawl = rows[0];
    if (!crawl) return undefined;
    const counts = await sql.query<{ state: string; outcome: string | null; n: number }>(
      `select state, outcome, count(*)::int as n from frontier where crawl_id = $1
        group by state, outcome`,
      [id],
    );
    const byState = { queued: 0, fetching: 0, done: 0 } as Record<string, number>;
    const outcomes: Record<string, number> = {};
    for (const row of counts.rows) {
      byState[row.state] = (byState[row.state] ?? 0) + row.n;
      if (row.outcome) outcomes[row.outcome] = row.n;
    }
    const sent =
      (outcomes['page'] ?? 0) + (outcomes['redirect'] ?? 0) + (outcomes['http-error'] ?? 0);
    return {
      id: crawl.id,
      status: crawl.status,
      seeds: crawl.seeds,
      minIntervalMs: crawl.min_interval_ms,
      maxDepth: crawl.max_depth,
      createdAt: crawl.created_at.toISOString(),
      finishedAt: crawl.finished_at?.toISOString() ?? null,
      queued: byState['queued'] ?? 0,
      fetching: byState['fetching'] ?? 0,
      done: byState['done'] ?? 0,
      outcomes,
      fetchesPerSecond: crawl.seconds > 0 ? Math.round((sent / crawl.seconds) * 10) / 10 : 0,
    };
  }
}
