// Every statement of the outbox, in one place for review.

// $6 is the message id the writer chose, or null for a fresh one. A chosen id that is
// already in the table is a repeat of an earlier write: nothing is inserted and nothing is
// returned, so a retried step cannot emit its event twice.
export const INSERT_OUTBOX = `
  insert into outbox_messages (shard, topic, aggregate_key, payload, headers, message_id)
  values ($1, $2, $3, $4, $5::jsonb, coalesce($6::uuid, gen_random_uuid()))
  on conflict (message_id) do nothing
  returning id, message_id`;

// The same insert, plus a wake-up for the shard's relay on channel $7 (none for a repeat).
// NOTIFY is queued with the transaction and delivered only when it commits; repeats of one
// channel and payload within a transaction are folded into one by Postgres.
export const INSERT_OUTBOX_NOTIFY = `
  insert into outbox_messages (shard, topic, aggregate_key, payload, headers, message_id)
  values ($1, $2, $3, $4, $5::jsonb, coalesce($6::uuid, gen_random_uuid()))
  on conflict (message_id) do nothing
  returning id, message_id, pg_notify($7, shard::text)`;

// The same row written inside a larger statement, as a data-modifying CTE: one row per row
// of `source` (the CTE that made the change the message announces), none if it has none, so
// the change and its message are one statement and one round trip. Parameters from $first:
// shard, topic, aggregate key, payload, headers, then with a wake-up the channel. The message
// id is always fresh here. RETURNING makes Postgres evaluate pg_notify once per row written.
export function insertOutboxFrom(source: string, first: number, wakeup: boolean): string {
  const at = (n: number) => `$${first + n}`;
  return `
  insert into outbox_messages (shard, topic, aggregate_key, payload, headers)
  select ${at(0)}::integer, ${at(1)}::text, ${at(2)}::text, ${at(3)}::text, ${at(4)}::jsonb
    from ${source}
  returning id${wakeup ? `, pg_notify(${at(5)}::text, shard::text)` : ''}`;
}

// Claims up to $2 pending rows of shard $1, oldest first, and keeps only those that
// can go now without overtaking an earlier row of the same key.
// - FOR UPDATE SKIP LOCKED: rows another relay holds are skipped, never waited on, and
//   the claim lasts exactly as long as this transaction (a crash releases it).
// - NOT EXISTS: a row is published only if every earlier pending row of its key is in
//   this claim too, or in $3: rows this relay claimed in its earlier, still uncommitted
//   batches, whose sends are acknowledged before this batch is sent (the pipelined relay;
//   '{}' otherwise). A row held by another relay (or pending behind one) is left out,
//   and so is every later row of that key, since the earlier row stays pending.
// MATERIALIZED: the locked set is computed once and used twice.
// The shard is bounded as a range and the rows ordered by (shard, id) so that only the
// pending index (outbox_messages_pending_idx) yields them in order: with shard = $1 and
// ORDER BY id, the primary key yields the same order, and with statistics taken while a
// backlog was still pending the planner walks it past every row published since, a claim
// that grows with the history (32 ms over 100 000 published rows, 1 ms on the pending
// index; ADR 0017). Any other path must read and sort every row of the shard.
export const CLAIM_BATCH = `
  with claimed as materialized (
    select id, aggregate_key
      from outbox_messages
     where shard between $1 and $1 and published_at is null
     order by shard, id
     limit $2
       for update skip locked)
  select o.id, o.message_id, o.topic, o.aggregate_key, o.payload, o.headers
    from outbox_messages o
    join claimed c on c.id = o.id
   where not exists (
     select 1
       from outbox_messages e
      where e.aggregate_key = o.aggregate_key
        and e.id < o.id
        and e.published_at is null
        and e.id not in (select id from claimed)
        and e.id <> all($3::bigint[]))
   order by o.id`;

export const MARK_PUBLISHED = `
  update outbox_messages
     set published_at = clock_timestamp()
   where id = any($1::bigint[]) and published_at is null`;

export const PENDING_METRICS = `
  select count(*)::int as backlog,
         coalesce(extract(epoch from clock_timestamp() - min(created_at)) * 1000, 0)::float8
           as oldest_pending_age_ms
    from outbox_messages
   where published_at is null and ($1::int is null or shard = $1)`;

export const PUBLISH_LATENCY = `
  select count(*)::int as samples,
         percentile_cont(0.5) within group (order by extract(epoch from published_at - created_at) * 1000)
           as p50_ms,
         percentile_cont(0.99) within group (order by extract(epoch from published_at - created_at) * 1000)
           as p99_ms
    from outbox_messages
   where published_at is not null
     and published_at >= clock_timestamp() - ($1::float8 * interval '1 millisecond')
     and ($2::int is null or shard = $2)`;

export const PURGE_PUBLISHED = `
  with doomed as (
    select id
      from outbox_messages
     where published_at is not null
       and published_at <= clock_timestamp() - ($1::float8 * interval '1 millisecond')
     order by published_at
     limit $2
       for update skip locked)
  delete from outbox_messages o using doomed where o.id = doomed.id`;
