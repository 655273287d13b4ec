import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Cluster, type Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

// A Lua script called by SHA: one round trip per call in the steady state. After a Redis
// restart (or SCRIPT FLUSH) the server answers NOSCRIPT; the script is loaded again and the
// call repeated once. Keys go through the client, so ioredis key prefixes and Cluster
// routing apply to them.
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  // Reads `<dir>/<file>` once, at module load of the mechanism that owns it. Files named in
  // `include` (shared local functions) come first in the source Redis runs, after the
  // script's own `#!lua` flags line if it has one: Redis reads flags from the first line only.
  static fromFile(dir: string, file: string, include: readonly string[] = []): LuaScript {
    const script = readFileSync(`${dir}/${file}`, 'utf8');
    if (include.length === 0) return new LuaScript(file, script);
    const flags = script.startsWith('#!') ? script.slice(0, script.indexOf('\n') + 1) : '';
    const shared = include.map((name) => readFileSync(`${dir}/${name}`, 'utf8'));
    return new LuaScript(file, [flags, ...shared, script.slice(flags.length)].join('\n'));
  }

  async run<T>(
    redis: RedisClient,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<T> {
    try {
      return (await redis.evalsha(this.sha, keys.length, ...keys, ...args)) as T;
    } catch (error) {
      if (!isNoScript(error)) throw error;
      await loadOn(redis, this.source);
      return (await redis.evalsha(this.sha, keys.length, ...keys, ...args)) as T;
    }
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

// On a Cluster every master gets the script, whichever node owns the keys of this call.
async function loadOn(redis: RedisClient, source: string): Promise<void> {
  const targets = redis instanceof Cluster ? redis.nodes('master') : [redis];
  await Promise.all(targets.map((node) => node.script('LOAD', source)));
}
