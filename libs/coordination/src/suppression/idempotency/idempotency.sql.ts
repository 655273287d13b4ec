// Every statement the idempotency store runs, in one place for review. Each UPDATE's
// WHERE clause is the SQL side of a row in KEY_TRANSITIONS (key-lifecycle.ts).

// absent -> locked. Returns no row when the key exists (then the store reads it).
export const INSERT_KEY = `
  insert into idempotency_keys (
    scope, key, request_method, request_path, fingerprint, state, recovery_point,
    lock_token, locked_until, created_at, updated_at, expires_at)
  values ($1, $2, $3, $4, $5, 'locked', $6, $7, $8, $9, $9, $10)
  on conflict (scope, key) do nothing
  returning recovery_point`;

export const SELECT_KEY = `
  select fingerprint, state, recovery_point, locked_until, response_status, response_body,
         version, expires_at
    from idempotency_keys
   where scope = $1 and key = $2`;

// unlocked -> locked, including a locked row whose holder timed out. The version guard
// makes this a compare-and-set against what the store just read: of two retries that
// both saw the key unlocked, exactly one takes it.
export const RESUME_KEY = `
  update idempotency_keys
     set state = 'locked', lock_token = $4, locked_until = $5, updated_at = $6,
         version = version + 1
   where scope = $1 and key = $2 and version = $3
  returning recovery_point`;

// An expired row (retention passed, not yet purged) is as good as absent: start over.
// Same version guard as above. Never applies to a row whose lock is still live.
export const RESET_EXPIRED_KEY = `
  update idempotency_keys
     set request_method = $4, request_path = $5, fingerprint = $6, state = 'locked',
         recovery_point = $7, lock_token = $8, locked_until = $9, response_status = null,
         response_body = null, created_at = $10, updated_at = $10, expires_at = $11,
         version = version + 1
   where scope = $1 and key = $2 and version = $3
  returning recovery_point`;

// locked -> locked, only for the current holder: a holder whose lock was taken over
// matches no row, and the caller must roll back the phase it was committing.
export const ADVANCE_KEY = `
  update idempotency_keys
     set recovery_point = $4, locked_until = $5, updated_at = $6, version = version + 1
   where scope = $1 and key = $2 and lock_token = $3 and state = 'locked'`;

// locked -> completed, only for the current holder.
export const COMPLETE_KEY = `
  update idempotency_keys
     set state = 'completed', lock_token = null, locked_until = null,
         response_status = $4, response_body = $5::jsonb, updated_at = $6,
         version = version + 1
   where scope = $1 and key = $2 and lock_token = $3 and state = 'locked'`;

// locked -> unlocked, only for the current holder. The recovery point stays.
export const RELEASE_KEY = `
  update idempotency_keys
     set state = 'unlocked', lock_token = null, locked_until = null, updated_at = $4,
         version = version + 1
   where scope = $1 and key = $2 and lock_token = $3 and state = 'locked'`;

// completed|unlocked -> absent once retention passed, in bounded batches. A key whose
// lock is still live is skipped: its holder may be about to commit. SKIP LOCKED keeps
// the job from queueing behind a request that is writing the row right now.
export const PURGE_EXPIRED_KEYS = `
  with doomed as (
    select scope, key
      from idempotency_keys
     where expires_at <= $1
       and not (state = 'locked' and locked_until > $1)
     order by expires_at
     limit $2
       for update skip locked)
  delete from idempotency_keys k
   using doomed
   where k.scope = doomed.scope and k.key = doomed.key`;
