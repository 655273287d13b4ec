// A closer node in its own process, for the failover test: it campaigns for the closer
// lease and closes due auctions while it holds it. Endpoints arrive as arguments: only
// entry points read the environment. Reports over IPC: ready, elected, closed.
import { FencedHolds, PostgresEpochs, poolTransactionRunner } from '@suite/coordination';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { AuctionCloser } from '../workers/auction-closer';

const [
  redisUrl = '',
  databaseUrl = '',
  keyPrefix = '',
  owner = 'closer',
  topic = '',
  ttl = '1500',
] = process.argv.slice(2);
const redis = new Redis(redisUrl, { keyPrefix });
const pool = new Pool({ connectionString: databaseUrl, max: 3 });
const reply = (message: Record<string, unknown>): void => {
  process.send?.(message);
};

const closer = new AuctionCloser({
  holds: new FencedHolds({ namespace: 'auction', redis, epochs: new PostgresEpochs(pool) }),
  tx: poolTransactionRunner(pool),
  sql: pool,
  topic,
  owner,
  leaseTtlMs: Number(ttl),
  pollMs: 20,
  onElected: (lease) => reply({ elected: lease.token }),
  onDemoted: (reason) => reply({ demoted: reason }),
  onClosed: (event) => reply({ closed: event.auctionId, token: event.closerToken }),
  onError: (error) => reply({ error: String(error) }),
});
closer.start();
reply({ ready: owner });
