import { Toxiproxy, type Proxy, type Toxic } from 'toxiproxy-node-client';
import { integrationEndpoints, requireToxiproxy } from '../endpoints/endpoints';
import { uniqueName } from '../isolation/names';

type Stream = 'upstream' | 'downstream';

/**
 * A TCP proxy in front of one real component, through which a test injects faults:
 * latency, a stalled connection that times out, a connection reset, or a full outage.
 * Point the client under test at `host:port` instead of the component itself.
 */
export class FaultProxy {
  private readonly toxics: Toxic<unknown>[] = [];

  private constructor(private readonly proxy: Proxy) {}

  static async create(label: string, upstream: string): Promise<FaultProxy> {
    const toxiproxy = new Toxiproxy(requireToxiproxy(integrationEndpoints()));
    // Port 0: toxiproxy binds a free port and reports it back in `listen`.
    const proxy = await toxiproxy.createProxy({
      name: uniqueName(label),
      listen: '127.0.0.1:0',
      upstream,
    });
    return new FaultProxy(proxy);
  }

  get host(): string {
    return this.proxy.listen.split(':')[0] ?? '127.0.0.1';
  }

  get port(): number {
    return Number(this.proxy.listen.split(':').pop());
  }

  /** Delays every chunk by `ms` (± jitter) in one direction. */
  async latency(ms: number, jitter = 0, stream: Stream = 'downstream'): Promise<void> {
    await this.add(`latency_${stream}`, 'latency', stream, { latency: ms, jitter });
  }

  /** Stops all data; the connection is closed after `ms` (0 = held open until cleared). */
  async timeout(ms: number): Promise<void> {
    await this.add('timeout', 'timeout', 'upstream', { timeout: ms });
  }

  /** Resets connections with a TCP RST after `afterMs` of traffic. */
  async resetPeer(afterMs = 0): Promise<void> {
    await this.add('reset_peer', 'reset_peer', 'upstream', { timeout: afterMs });
  }

  /** Refuses new connections and drops open ones, like a crashed component. */
  async cut(): Promise<void> {
    await this.proxy.update({
      enabled: false,
      listen: this.proxy.listen,
      upstream: this.proxy.upstream,
    });
  }

  async restore(): Promise<void> {
    await this.proxy.update({
      enabled: true,
      listen: this.proxy.listen,
      upstream: this.proxy.upstream,
    });
  }

  /** Removes every toxic; the proxy passes traffic untouched again. */
  async clear(): Promise<void> {
    for (const toxic of this.toxics.splice(0)) await toxic.remove();
  }

  private async add(
    name: string,
    type: Toxic<unknown>['type'],
    stream: Stream,
    attributes: object,
  ) {
    this.toxics.push(await this.proxy.addToxic({ name, type, stream, toxicity: 1, attributes }));
  }

  async remove(): Promise<void> {
    await this.proxy.remove();
  }
}
