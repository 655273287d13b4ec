// The dependency links of a chaos run, through toxiproxy: one proxy per component, named
// chaos-<link>, created before the services start so that every service reaches the
// component through it (REDIS_URL, DATABASE_URL overrides). A fault adds one toxic; healing
// removes it. The proxy stays after the run, clean, for the services that are still up.
import type { ServiceName } from '@suite/contracts';
import type { Fault, Link } from './schedule';

type LinkFault = Extract<Fault, { link: Link }>;

interface ProxyAnswer {
  name: string;
  listen: string;
}

const TOXIC = 'chaos';

export class LinkProxies {
  private readonly listens = new Map<Link, string>();

  constructor(
    private readonly toxiproxyUrl: string,
    private readonly infra: Record<string, string>,
  ) {}

  private async api(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.toxiproxyUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5_000),
    });
  }

  private upstream(link: Link): string {
    const url = new URL(
      link === 'redis' ? (this.infra['REDIS_URL'] ?? '') : (this.infra['DATABASE_URL'] ?? ''),
    );
    return url.host;
  }

  // A fresh proxy per link (a previous run's is replaced).
  async open(links: readonly Link[]): Promise<void> {
    for (const link of links) {
      const name = `chaos-${link}`;
      await this.api('DELETE', `/proxies/${name}`);
      const res = await this.api('POST', '/proxies', {
        name,
        listen: '127.0.0.1:0',
        upstream: this.upstream(link),
        enabled: true,
      });
      if (!res.ok)
        throw new Error(`toxiproxy refused the ${name} proxy: ${res.status} ${await res.text()}`);
      const proxy = (await res.json()) as ProxyAnswer;
      this.listens.set(link, proxy.listen);
    }
  }

  // The same URL with its host:port replaced by the link's proxy, when the link is open (a
  // scratch database's URL, say); unchanged otherwise.
  through(link: Link, url: string): string {
    const listen = this.listens.get(link);
    if (!listen) return url;
    const parsed = new URL(url);
    parsed.host = listen;
    return parsed.toString();
  }

  // Where each service reaches the proxied components instead of the components themselves.
  // The web simulator uses neither; the crawler's fetches go to it directly, not through Redis.
  overrides(): Partial<Record<ServiceName, Record<string, string>>> {
    const env = (database?: string): Record<string, string> => {
      const databaseUrl = database && this.infra[`${database.toUpperCase()}_DATABASE_URL`];
      return {
        ...(this.listens.has('redis')
          ? { REDIS_URL: this.through('redis', this.infra['REDIS_URL'] ?? '') }
          : {}),
        ...(this.listens.has('postgres') && databaseUrl
          ? { DATABASE_URL: this.through('postgres', databaseUrl) }
          : {}),
      };
    };
    return {
      'psp-simulator': env('psp_simulator'),
      payments: env('payments'),
      ticketing: env('ticketing'),
      auction: env('auction'),
      'rate-limiter': env(),
      scheduler: env('scheduler'),
      crawler: env('crawler'),
      gateway: env(),
    };
  }

  async inject(fault: LinkFault): Promise<void> {
    const toxic =
      fault.kind === 'latency'
        ? { type: 'latency', stream: 'downstream', attributes: { latency: fault.ms, jitter: 0 } }
        : fault.kind === 'timeout'
          ? { type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } }
          : fault.kind === 'reset'
            ? { type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } }
            : { type: 'bandwidth', stream: 'downstream', attributes: { rate: fault.kBps } };
    const res = await this.api('POST', `/proxies/chaos-${fault.link}/toxics`, {
      name: `${TOXIC}-${fault.kind}`,
      toxicity: 1,
      ...toxic,
    });
    if (!res.ok)
      throw new Error(
        `toxiproxy refused ${fault.kind} on ${fault.link}: ${res.status} ${await res.text()}`,
      );
  }

  async heal(fault: LinkFault): Promise<void> {
    const res = await this.api(
      'DELETE',
      `/proxies/chaos-${fault.link}/toxics/${TOXIC}-${fault.kind}`,
    );
    if (!res.ok && res.status !== 404) {
      throw new Error(`toxiproxy kept ${fault.kind} on ${fault.link}: ${res.status}`);
    }
  }
}
