// Runbook: start a new fencing epoch for one scope and restart the named resources' counters
// (selection/README.md, Runbook). An operator's entry point, so it reads its arguments:
//
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register \
//     libs/coordination/src/selection/runbook/start-new-epoch.cli.ts \
//     <redis-url> <key-prefix or ''> <service namespace> <scope> <resource>...
//
// Prints {"previousEpoch":..,"countersReset":..} as one JSON line. Safe while the service
// runs: holders keep their (older) tokens, the next acquire takes a higher epoch.
import Redis from 'ioredis';
import { FencedHolds } from '../fenced-holds';

const USAGE =
  'usage: start-new-epoch.cli.ts <redis-url> <key-prefix> <namespace> <scope> <resource>...';

async function main(argv: readonly string[]): Promise<void> {
  const [redisUrl, keyPrefix, namespace, scope, ...resources] = argv;
  if (!redisUrl || keyPrefix === undefined || !namespace || !scope || resources.length === 0) {
    throw new RangeError(USAGE);
  }
  const redis = new Redis(redisUrl, { keyPrefix, maxRetriesPerRequest: 2, lazyConnect: true });
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

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
