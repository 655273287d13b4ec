import type { RedisClient } from '@suite/coordination';
import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { ReadinessCheck } from '../health/readiness.registry';
import {
  DEFAULT_STALL_WATCH,
  watchForStalledConnection,
  type StalledConnectionWatch,
} from './stalled-connection';

export interface CreateRedisClientOptions extends RedisOptions {
  // REDIS_URL. Alone, the one server to use. With clusterNodes, it only lends its scheme
  // (rediss: TLS to every node) and credentials; the seeds name the nodes.
  url: string;
  // REDIS_CLUSTER_NODES as host:port seeds. Set and non-empty: a Redis Cluster client.
  clusterNodes?: readonly string[];
  // A single server's connection is replaced when it stops answering without closing (a
  // partition): see stalled-connection.ts. On by default; false turns it off. A Cluster
  // client is not watched (its nodes' connections are ioredis' to manage).
  stallWatch?: StalledConnectionWatch | false;
}

// How long one attempt to connect may take (ioredis waits 10 s). During a partition an
// attempt's SYNs go unanswered; a short attempt means the next one starts soon after the path
// heals, instead of waiting out the kernel's SYN back-off.
const CONNECT_TIMEOUT_MS = 1_000;

// One Redis client for a service: a plain connection to REDIS_URL, or, when seed nodes are
// given, ioredis' Cluster client. The library's mechanisms accept either (RedisClient); their
// multi-key scripts share a hash tag per call, so a Cluster routes each call to one slot.
export function createRedisClient(options: CreateRedisClientOptions): RedisClient {
  const { url, clusterNodes, stallWatch, ...redisOptions } = options;
  if (!clusterNodes || clusterNodes.length === 0) {
    const client = new Redis(url, { connectTimeout: CONNECT_TIMEOUT_MS, ...redisOptions });
    if (stallWatch !== false) {
      watchForStalledConnection(client, {
        onStalled: (ms) =>
          process.emitWarning(
            `Redis answered no PING for ${ms} ms; the connection was replaced`,
            'RedisStalledConnection',
          ),
        ...(stallWatch ?? DEFAULT_STALL_WATCH),
      });
    }
    return client;
  }
  return new Cluster(clusterNodes.map(parseSeed), clusterOptions(url, redisOptions));
}

// keyPrefix, lazyConnect, enableOfflineQueue, enableAutoPipelining and retryStrategy belong
// to the Cluster itself (each node's connection is managed by it); everything else applies
// to every node.
function clusterOptions(url: string, options: RedisOptions): ClusterOptions {
  const {
    keyPrefix,
    lazyConnect,
    enableOfflineQueue,
    enableAutoPipelining,
    retryStrategy,
    ...perNode
  } = options;
  // A brace in the prefix would open a hash tag of its own: every key of the service on one
  // slot, or the library's tags cut short. Refused rather than silently unbalanced.
  if (keyPrefix !== undefined && /[{}]/.test(keyPrefix)) {
    throw new RangeError('a Redis Cluster key prefix must not contain "{" or "}"');
  }
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && db !== '0') {
    throw new RangeError(`a Redis Cluster has only database 0; REDIS_URL selects ${db}`);
  }
  const credentials: RedisOptions = {};
  if (parsed.username) credentials.username = decodeURIComponent(parsed.username);
  if (parsed.password) credentials.password = decodeURIComponent(parsed.password);
  if (parsed.protocol === 'rediss:' && perNode.tls === undefined) credentials.tls = {};
  const cluster: ClusterOptions = {
    redisOptions: { ...credentials, ...perNode },
  };
  // Only what the caller set, so ioredis' cluster defaults stay in force otherwise.
  if (keyPrefix !== undefined) cluster.keyPrefix = keyPrefix;
  if (lazyConnect !== undefined) cluster.lazyConnect = lazyConnect;
  if (enableOfflineQueue !== undefined) cluster.enableOfflineQueue = enableOfflineQueue;
  if (enableAutoPipelining !== undefined) cluster.enableAutoPipelining = enableAutoPipelining;
  // The same contract (attempt number in, delay or null out), applied to the whole cluster.
  if (retryStrategy !== undefined) cluster.clusterRetryStrategy = retryStrategy;
  return cluster;
}

// "host:port", IPv6 literals in brackets ("[::1]:7000"); validated by the config schema.
function parseSeed(seed: string): { host: string; port: number } {
  const colon = seed.lastIndexOf(':');
  const port = Number(seed.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`"${seed}" is not host:port`);
  }
  return { host: seed.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port };
}

// Readiness for ReadinessRegistry. A single server: it answers PING. A Cluster: the node
// asked reports cluster_state:ok, every one of the 16384 slots has a primary in this client's
// slot map, and each of those primaries answers PING, so no key a request may touch is on a
// node that is down.
const CLUSTER_SLOTS = 16_384;

export function redisReadinessCheck(client: RedisClient): ReadinessCheck {
  if (!(client instanceof Cluster)) {
    return async () => {
      await client.ping();
    };
  }
  return async () => {
    const info = String(await client.cluster('INFO'));
    const state = /^cluster_state:(\w+)/m.exec(info)?.[1];
    if (state !== 'ok') throw new Error(`Redis Cluster state is ${state ?? 'unknown'}`);
    const byAddress = new Map(
      client.nodes('master').map((node) => [`${node.options.host}:${node.options.port}`, node]),
    );
    const masters = new Set<string>();
    for (let slot = 0; slot < CLUSTER_SLOTS; slot++) {
      const master = client.slots[slot]?.[0];
      if (master === undefined) throw new Error(`Redis Cluster slot ${slot} has no primary`);
      masters.add(master);
    }
    await Promise.all(
      [...masters].map(async (address) => {
        const node = byAddress.get(address);
        if (!node) throw new Error(`Redis Cluster primary ${address} is not connected`);
        await node.ping();
      }),
    );
  };
}
