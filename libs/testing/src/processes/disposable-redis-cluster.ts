import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis, { Cluster, type ClusterOptions } from 'ioredis';
import { freePorts } from './free-port';
import { killRedisServer, launchRedisServer } from './redis-server';

const run = promisify(execFile);

export const CLUSTER_SLOTS = 16_384;

export interface DisposableRedisClusterOptions {
  // How many primaries share the 16384 slots (no replicas). Default 3.
  masters?: number;
  // Bound on joining the nodes and waiting for cluster_state:ok.
  readyTimeoutMs?: number;
}

/**
 * A private Redis Cluster of redis-server processes on loopback (primaries only, no
 * replicas), for tests that must see CROSSSLOT, MOVED and per-node routing for real. Keeps
 * no data on disk; each node's folder only holds its nodes.conf and is deleted by stop().
 */
export class DisposableRedisCluster {
  private processes: (ChildProcess | undefined)[] = [];
  private readonly clients: Cluster[] = [];

  private constructor(
    readonly ports: readonly number[],
    private readonly dirs: readonly string[],
  ) {}

  static async start(options: DisposableRedisClusterOptions = {}): Promise<DisposableRedisCluster> {
    const count = options.masters ?? 3;
    const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
    const ports = await freePorts(count);
    const dirs = ports.map((port) => mkdtempSync(join(tmpdir(), `suite-redis-cluster-${port}-`)));
    const cluster = new DisposableRedisCluster(ports, dirs);
    try {
      cluster.processes = await Promise.all(
        ports.map((port, i) =>
          launchRedisServer({
            port,
            dir: dirs[i],
            extraArgs: [
              '--cluster-enabled',
              'yes',
              '--cluster-config-file',
              'nodes.conf',
              // How long a silent node may be before the others mark it failed; short, so a
              // test that stops a node sees cluster_state:fail soon.
              '--cluster-node-timeout',
              '2000',
            ],
          }),
        ),
      );
      // Assigns the slots evenly and introduces the nodes to each other.
      await run(
        'redis-cli',
        ['--cluster', 'create', ...cluster.nodes, '--cluster-replicas', '0', '--cluster-yes'],
        { timeout: readyTimeoutMs },
      );
      await cluster.waitUntilOk(readyTimeoutMs);
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** Seed list as host:port, the shape of REDIS_CLUSTER_NODES. */
  get nodes(): string[] {
    return this.ports.map((port) => `127.0.0.1:${port}`);
  }

  /** The port of the primary that serves this key (a raw key: no client prefix applied). */
  async masterPortOf(key: string): Promise<number> {
    return this.withNode(0, async (node) => {
      const slot = Number(await node.cluster('KEYSLOT', key));
      const ranges = await node.cluster('SLOTS');
      const master = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2];
      if (!master) throw new Error(`slot ${slot} of "${key}" has no master`);
      return master[1];
    });
  }

  /** Every node's key count, by port. */
  async keyCounts(): Promise<Map<number, number>> {
    const counts = await Promise.all(
      this.ports.map((port, i) => this.withNode(i, async (node) => [port, await node.dbsize()])),
    );
    return new Map(counts as [number, number][]);
  }

  /** Kills one node with SIGKILL, as a crash would; its slots have no other primary. */
  async killNode(index: number): Promise<void> {
    const child = this.processes[index];
    this.processes[index] = undefined;
    await killRedisServer(child);
  }

  /** An ioredis Cluster client seeded with every node; stop() disconnects it. */
  connect(options: ClusterOptions = {}): Cluster {
    const client = new Cluster(
      this.ports.map((port) => ({ host: '127.0.0.1', port })),
      options,
    );
    this.clients.push(client);
    return client;
  }

  /**
   * Disconnects the clients connect() made, kills every node (as a crash would) and deletes
   * their folders. Safe to call twice.
   */
  async stop(): Promise<void> {
    for (const client of this.clients.splice(0)) client.disconnect();
    const processes = this.processes;
    this.processes = [];
    await Promise.all(processes.map((child) => killRedisServer(child)));
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }

  private async waitUntilOk(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(
        this.ports.map((_, i) =>
          this.withNode(i, async (node) => {
            const info = await node.cluster('INFO');
            return /^cluster_state:ok\r?$/m.test(String(info));
          }).catch(() => false),
        ),
      );
      if (states.every(Boolean)) return;
      if (Date.now() > deadline) {
        throw new Error(`Redis Cluster on ${this.nodes.join(',')} not ok within ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async withNode<T>(index: number, work: (node: Redis) => Promise<T>): Promise<T> {
    const node = new Redis(this.ports[index] as number, '127.0.0.1', {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      return await work(node);
    } finally {
      node.disconnect();
    }
  }
}
