// Runbook: start a new fencing epoch for one scope and restart the named resources' counters
// (selection/README.md, Runbook). An operator's entry point, so it reads its arguments:
//
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register \
//     libs/coordination/src/selection/runbook/start-new-epoch.cli.ts \
//     [--cluster-nodes=<host:port,...>] <redis-url> <key-prefix or ''> <service namespace> \
//     <scope> <resource>...
//
// With --cluster-nodes (the service's REDIS_CLUSTER_NODES) it talks to a Redis Cluster
// through those seeds; REDIS_URL then only lends its credentials and scheme (rediss: TLS).
// Prints {"previousEpoch":..,"countersReset":..} as one JSON line. Safe while the service
// runs: holders keep their (older) tokens, the next acquire takes a higher epoch.
import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { RedisClient } from '../../redis/lua-script';
import { FencedHolds } from '../fenced-holds';

const USAGE =
  'usage: start-new-epoch.cli.ts [--cluster-nodes=<host:port,...>] <redis-url> <key-prefix> ' +
  '<namespace> <scope> <resource>...';
const CLUSTER_FLAG = '--cluster-nodes=';

async function main(argv: readonly string[]): Promise<void> {
  const seeds = argv[0]?.startsWith(CLUSTER_FLAG) ? argv[0].slice(CLUSTER_FLAG.length) : undefined;
  const [redisUrl, keyPrefix, namespace, scope, ...resources] =
    seeds === undefined ? argv : argv.slice(1);
  if (!redisUrl || keyPrefix === undefined || !namespace || !scope || resources.length === 0) {
    throw new RangeError(USAGE);
  }
  const redis = connect(redisUrl, keyPrefix, seeds);
  try {
    await redis.connect();
    // The runbook only ever removes keys; the epoch source is asked by the next acquire.
    const holds = new FencedHolds({
      namespace,
      redis,
      epochs: {
        next: () => Promise.reject(new Error('the runbook never installs an epoch itself')),
      },
    });
    const result = await holds.startNewEpoch(scope, resources);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    redis.disconnect();
  }
}

// The same client the services build (service-kit's createRedisClient), kept local so
// this tool needs nothing but the library.
function connect(redisUrl: string, keyPrefix: string, seeds: string | undefined): RedisClient {
  const options = { maxRetriesPerRequest: 2 };
  if (seeds === undefined) return new Redis(redisUrl, { keyPrefix, lazyConnect: true, ...options });
  const nodes = seeds
    .split(',')
    .map((seed) => seed.trim())
    .filter((seed) => seed.length > 0)
    .map((seed) => {
      const colon = seed.lastIndexOf(':');
      const port = Number(seed.slice(colon + 1));
      if (colon <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
        throw new RangeError(`--cluster-nodes: "${seed}" is not host:port`);
      }
      return { host: seed.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port };
    });
  if (nodes.length === 0) throw new RangeError(USAGE);
  const url = new URL(redisUrl);
  const perNode: RedisOptions = { ...options };
  if (url.username) perNode.username = decodeURIComponent(url.username);
  if (url.password) perNode.password = decodeURIComponent(url.password);
  if (url.protocol === 'rediss:') perNode.tls = {};
  return new Cluster(nodes, { keyPrefix, lazyConnect: true, redisOptions: perNode });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
