import type { SqlExecutor } from '../ports/sql-executor';

export type FenceResult = { ok: true } | { ok: false; reason: 'stale-token'; currentToken: number };

// Records `token` as the highest that has written to `resource`, or refuses it when a higher
// one already has. Call it first in the transaction of the domain write, on the same
// executor, and roll back when it is refused: the row lock it takes on the fence serializes
// writers of one resource until commit, so the domain write and the fence commit together.
//
// A token equal to the stored one passes: the same holder may write more than once.
// `resource` names what the token fences; use `${scope}/${resource}` as in the hold.
export async function checkFence(
  sql: SqlExecutor,
  resource: string,
  token: number,
): Promise<FenceResult> {
  validateToken(token);
  // ON CONFLICT DO UPDATE locks the existing row even when the WHERE refuses the update, so
  // the read below sees a value that cannot change before this transaction ends.
  const advanced = await sql.query(
    `insert into coordination_fences as f (resource, token) values ($1, $2)
     on conflict (resource) do update set token = excluded.token, updated_at = now()
       where f.token <= excluded.token
     returning f.token`,
    [resource, token],
  );
  if (advanced.rows.length > 0) return { ok: true };
  const current = await sql.query<{ token: string }>(
    `select token::text as token from coordination_fences where resource = $1`,
    [resource],
  );
  return { ok: false, reason: 'stale-token', currentToken: Number(current.rows[0]?.token) };
}

// checkFence for one writer that keeps several transactions open at once under one token
// (the pipelined outbox relay). checkFence's row lock would make each of them wait for the
// commit of the one before it. Once the token is stored, this only reads it under a share
// lock, which those transactions can hold together: a newer token's checkFence still waits
// until every one of them has ended, and one stored before refuses them. A token not stored
// yet (the first transaction of a term) goes through checkFence and its row lock.
//
// The caller starts these checks one after the other (each after the previous one
// returned), so two of them never both hold the share lock and then want the row lock.
export async function checkFenceShared(
  sql: SqlExecutor,
  resource: string,
  token: number,
): Promise<FenceResult> {
  validateToken(token);
  const stored = await sql.query<{ token: string }>(
    `select token::text as token from coordination_fences where resource = $1 for share`,
    [resource],
  );
  const current = stored.rows[0] ? Number(stored.rows[0].token) : undefined;
  if (current === token) return { ok: true };
  if (current !== undefined && current > token) {
    return { ok: false, reason: 'stale-token', currentToken: current };
  }
  return checkFence(sql, resource, token);
}

function validateToken(token: number): void {
  if (!Number.isSafeInteger(token) || token <= 0) {
    throw new RangeError(`fencing token must be a positive safe integer, got ${token}`);
  }
}

// Runs `write` after the fence in one transaction on `client` (a pg PoolClient or Client):
// BEGIN, fence, write, COMMIT; ROLLBACK when the fence refuses the token or `write` throws.
export async function fencedWrite<T>(
  client: SqlExecutor,
  resource: string,
  token: number,
  write: (sql: SqlExecutor) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; reason: 'stale-token'; currentToken: number }> {
  await client.query('begin');
  try {
    const fence = await checkFence(client, resource, token);
    if (!fence.ok) {
      await client.query('rollback');
      return fence;
    }
    const value = await write(client);
    await client.query('commit');
    return { ok: true, value };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}
