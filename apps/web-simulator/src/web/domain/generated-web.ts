// A web generated from a seed: hosts, pages with links, redirects, robots rules, slow hosts
// and failing pages. Pure: the same settings always give the same web, and a request is
// answered from the settings alone, so any process can compute what another one serves.

export const WEB_DOMAIN = 'web.test';

export interface WebSettings {
  seed: number;
  hosts: number;
  pagesPerHost: number;
  // The politeness rule: two requests to one host must arrive at least this far apart.
  minIntervalMs: number;
  // Slow hosts answer after a delay drawn from 0..slowMs; 0 turns slow hosts off.
  slowMs: number;
}

export const DEFAULT_WEB_SETTINGS: WebSettings = {
  seed: 1,
  hosts: 12,
  pagesPerHost: 12,
  minIntervalMs: 50,
  slowMs: 120,
};

// What a request resolves to. `key` is the page's identity whatever the spelling of its URL:
// host without case or port, path without a trailing slash, query parameters sorted.
export type Resolution =
  | { kind: 'page'; key: string; host: string; links: string[] }
  | { kind: 'redirect'; key: string; host: string; location: string }
  | { kind: 'failing'; key: string; host: string }
  | { kind: 'not-found'; key: string; host: string }
  | { kind: 'robots'; host: string; body: string }
  | { kind: 'unknown-host'; host: string };

export const hostName = (index: number): string => `site-${index}.${WEB_DOMAIN}`;

// mulberry32: small, fast and seeded; enough for reproducible test data.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const hashOf = (text: string): number => {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
};

// The canonical identity of a request: lower-case host without its port, path without a
// trailing slash (but "/" itself), and the query's parameters sorted.
export function pageKey(host: string, path: string, query: string): string {
  const bareHost = host.toLowerCase().replace(/:\d+$/, '');
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const params = new URLSearchParams(query);
  params.sort();
  const sorted = params.toString();
  return `${bareHost}${trimmed || '/'}${sorted ? `?${sorted}` : ''}`;
}

interface HostTraits {
  index: number;
  name: string;
  disallow: string[];
  slow: boolean;
}

export class GeneratedWeb {
  readonly settings: WebSettings;
  private readonly hostTraits = new Map<string, HostTraits>();

  constructor(settings: WebSettings) {
    this.settings = settings;
    for (let i = 0; i < settings.hosts; i++) {
      const disallow = ['/private'];
      // Every third host also closes part of its pages: /p/2, /p/20.. /p/29 and so on.
      if (i % 3 === 1) disallow.push('/p/2');
      this.hostTraits.set(hostName(i), {
        index: i,
        name: hostName(i),
        disallow,
        slow: settings.slowMs > 0 && i % 5 === 3,
      });
    }
  }

  get hostNames(): string[] {
    return [...this.hostTraits.keys()];
  }

  seedUrls(): string[] {
    return [`http://${hostName(0)}/`];
  }

  // How long a host waits before it answers this request (0 for most hosts).
  delayMs(host: string, key: string): number {
    const traits = this.hostTraits.get(host.toLowerCase().replace(/:\d+$/, ''));
    if (!traits?.slow) return 0;
    return Math.floor(seededRandom(hashOf(key) ^ this.settings.seed)() * this.settings.slowMs);
  }

  robotsTxt(host: string): string | undefined {
    const traits = this.hostTraits.get(host);
    if (!traits) return undefined;
    return ['User-agent: *', ...traits.disallow.map((d) => `Disallow: ${d}`), ''].join('\n');
  }

  isDisallowed(host: string, path: string): boolean {
    const traits = this.hostTraits.get(host);
    return traits !== undefined && traits.disallow.some((prefix) => path.startsWith(prefix));
  }

  resolve(hostHeader: string, path: string, query: string): Resolution {
    const host = hostHeader.toLowerCase().replace(/:\d+$/, '');
    const traits = this.hostTraits.get(host);
    if (!traits) return { kind: 'unknown-host', host };
    if (path === '/robots.txt') return { kind: 'robots', host, body: this.robotsTxt(host) ?? '' };
    const key = pageKey(host, path, query);
    const bare = key.slice(host.length);
    const [pathOnly] = bare.split('?') as [string];
    const pages = this.settings.pagesPerHost;
    const pageMatch = /^\/p\/(\d+)$/.exec(pathOnly);
    const oldMatch = /^\/old\/(\d+)$/.exec(pathOnly);
    const privateMatch = /^\/private\/(\d+)$/.exec(pathOnly);
    if (pathOnly === '/' && bare === '/') {
      return { kind: 'page', key, host, links: this.linksOf(traits, 0) };
    }
    if (pageMatch && Number(pageMatch[1]) >= 1 && Number(pageMatch[1]) < pages && !query) {
      const n = Number(pageMatch[1]);
      // Every seventh host fails a quarter of its pages, every time they are asked for.
      if (traits.index % 7 === 5 && n % 4 === 1) return { kind: 'failing', key, host };
      return { kind: 'page', key, host, links: this.linksOf(traits, n) };
    }
    if (pathOnly === '/list') {
      const params = new URLSearchParams(bare.split('?')[1] ?? '');
      const page = Number(params.get('page'));
      if ([...params.keys()].sort().join(',') === 'page,sort' && page >= 1 && page <= 3) {
        return { kind: 'page', key, host, links: this.listLinks(traits, page) };
      }
    }
    if (oldMatch && Number(oldMatch[1]) >= 1 && Number(oldMatch[1]) < pages && !query) {
      const n = Number(oldMatch[1]);
      // Half the old addresses moved to another host.
      const target =
        n % 2 === 0
          ? `http://${host}/p/${n}`
          : `http://${hostName((traits.index + 1) % this.settings.hosts)}/p/${n}`;
      return { kind: 'redirect', key, host, location: target };
    }
    if (privateMatch) return { kind: 'page', key, host, links: [] };
    return { kind: 'not-found', key, host };
  }

  // Links of page n of a host: the next page (so every page of a host is reachable from its
  // index), the next host's index (so every host is reachable from the first), and a few
  // random ones, each written in some spelling of its URL.
  private linksOf(traits: HostTraits, n: number): string[] {
    const random = seededRandom(this.settings.seed * 7919 + traits.index * 131 + n);
    const pages = this.settings.pagesPerHost;
    const hosts = this.settings.hosts;
    const targets: Array<{ host: string; path: string; query?: [string, string][] }> = [];
    if (n + 1 < pages) targets.push({ host: traits.name, path: `/p/${n + 1}` });
    if (n === 0) {
      targets.push({ host: hostName((traits.index + 1) % hosts), path: '/' });
      targets.push({
        host: traits.name,
        path: '/list',
        query: [
          ['sort', 'name'],
          ['page', '1'],
        ],
      });
    }
    for (let i = 0; i < 4; i++) {
      const otherHost = random() < 0.3;
      const host = otherHost ? hostName(Math.floor(random() * hosts)) : traits.name;
      const roll = random();
      const k = 1 + Math.floor(random() * (pages - 1));
      if (roll < 0.6) targets.push({ host, path: `/p/${k}` });
      else if (roll < 0.75) targets.push({ host, path: `/old/${k}` });
      else if (roll < 0.85) targets.push({ host, path: `/private/${k}` });
      else if (roll < 0.92) targets.push({ host, path: `/gone/${k}` });
      else targets.push({ host, path: '/' });
    }
    return targets.map((t) => spell(t.host, t.path, t.query ?? [], traits.name, random));
  }

  private listLinks(traits: HostTraits, page: number): string[] {
    const random = seededRandom(this.settings.seed * 104729 + traits.index * 17 + page);
    const links = [spell(traits.name, `/p/${page}`, [], traits.name, random)];
    if (page < 3) {
      const query: [string, string][] = [
        ['page', String(page + 1)],
        ['sort', 'name'],
      ];
      links.push(spell(traits.name, '/list', query, traits.name, random));
    }
    return links;
  }

  // Every page a complete, polite crawl from `seeds` must fetch, by key: follows links and
  // redirects, skips what robots.txt disallows (never fetched), and stops at failing and
  // missing pages (fetched once, no links).
  reachableFrom(seeds: readonly string[]): Set<string> {
    const reached = new Set<string>();
    const queue: string[] = [...seeds];
    const seen = new Set<string>();
    // Read by index: shift() on a queue of a large web's links moves every entry each time.
    for (let next = 0; next < queue.length; next++) {
      let url: URL;
      try {
        url = new URL(queue[next] as string);
      } catch {
        continue; // a seed that is no URL reaches nothing
      }
      const key = pageKey(url.host, url.pathname, url.search);
      if (seen.has(key)) continue;
      seen.add(key);
      const host = url.hostname.toLowerCase();
      if (this.isDisallowed(host, url.pathname)) continue;
      const resolution = this.resolve(url.host, url.pathname, url.search);
      if (resolution.kind === 'unknown-host' || resolution.kind === 'robots') continue;
      reached.add(key);
      if (resolution.kind === 'page') {
        for (const link of resolution.links) queue.push(new URL(link, url).toString());
      } else if (resolution.kind === 'redirect') {
        queue.push(new URL(resolution.location, url).toString());
      }
    }
    return reached;
  }
}

// One of the spellings a web page uses for a URL: the host's case, an explicit default port,
// a trailing slash, a fragment, the query's order, a path relative to the page's host.
function spell(
  host: string,
  path: string,
  query: [string, string][],
  pageHost: string,
  random: () => number,
): string {
  const variant = Math.floor(random() * 6);
  const pairs = variant === 4 ? [...query].reverse() : query;
  const search = pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
  switch (variant) {
    case 0:
      return `http://${host.toUpperCase()}${path}${search}`;
    case 1:
      return `http://${host}:80${path}${search}`;
    case 2:
      return `http://${host}${path === '/' ? '/' : `${path}/`}${search}`;
    case 3:
      return `http://${host}${path}${search}#section-${Math.floor(random() * 3)}`;
    case 5:
      return host === pageHost ? `${path}${search}` : `http://${host}${path}${search}`;
    default:
      return `http://${host}${path}${search}`;
  }
}
