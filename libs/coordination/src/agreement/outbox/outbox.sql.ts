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

// Claims up to $2 pending rows of shard $1, oldest first, and keeps only those that
// can go now without overtaking an earlier row of the same key.
// - The rows come from the queue (outbox_pending, ADR 0019), which holds only pending rows:
//   the claim reads nothing published, however much history the record holds.
// - FOR UPDATE OF o SKIP LOCKED: the record's row is the lock (the one the mark updates), so
//   rows another relay holds are skipped, never waited on, and the claim lasts exactly as
//   long as this transaction (a crash releases it). o.published_at is null is checked again
//   on the locked row, so a row another relay published since this claim's snapshot is not
//   sent twice.
// - The order guard (a scalar subquery, not NOT EXISTS, so that it stays a probe of
//   outbox_pending_key_idx per claimed row: as an anti-join the planner may hash the whole
//   queue, 4.6 of 8.2 ms with 5 000 rows pending): a row is published only if every earlier pending row of its key is in
//   this claim too, or in $3: rows this relay claimed in its earlier, still uncommitted
//   batches, whose sends are acknowledged before this batch is sent (the pipelined relay;
//   '{}' otherwise). A row held by another relay (or pending behind one) is left out,
//   and so is every later row of that key, since the earlier row stays pending.
// MATERIALIZED: the locked set is computed once and used twice.
export const CLAIM_BATCH = `
  with claimed as materialized (
    select o.id, o.message_id, o.topic, o.aggregate_key, o.payload, o.headers
      from outbox_pending p
      join outbox_messages o on o.id = p.id
     where p.shard = $1 and o.published_at is null
     order by p.shard, p.id
     limit $2
       for update of o skip locked)
  select c.id, c.message_id, c.topic, c.aggregate_key, c.payload, c.headers
    from claimed c
   where (select 1
            from outbox_pending e
           where e.aggregate_key = c.aggregate_key
             and e.id < c.id
             and e.id not in (select id from claimed)
             and e.id <> all($3::bigint[])
           limit 1) is null
   order by c.id`;

// Sets published_at; the record's update trigger takes the rows out of the queue.
export const MARK_PUBLISHED = `
  update outbox_messages
     set published_at = clock_timestamp()
   where id = any($1::bigint[]) and published_at is null`;

export const PENDING_METRICS = `
  select count(*)::int as backlog,
         coalesce(extract(epoch from clock_timestamp() - min(o.created_at)) * 1000, 0)::float8
           as oldest_pending_age_ms
    from outbox_pending p
    join outbox_messages o on o.id = p.id
   where $1::int is null or p.shard = $1`;

// No index mentions published_at (the mark stays a HOT update), so this reads the table:
// a metric for tests and dashboards, not for a hot path.
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

// Oldest ids first along the primary key: ids follow insert order, so the rows old enough to
// go are at its start and a bounded batch stops soon after them.
export const PURGE_PUBLISHED = `
  with doomed as (
    select id
      from outbox_messages
     where published_at <= clock_timestamp() - ($1::float8 * interval '1 millisecond')
     order by id
     limit $2
       for update skip locked)
  delete from outbox_messages o using doomed where o.id = doomed.id`;
