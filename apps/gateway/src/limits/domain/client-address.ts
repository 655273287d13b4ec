import { BlockList, isIP } from 'node:net';

// One entry of TRUSTED_PROXIES: a single address or a CIDR network.
export interface TrustedNetwork {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

export type TrustedProxiesParse =
  | { ok: true; networks: TrustedNetwork[] }
  | { ok: false; issues: string[] };

// "10.0.0.0/8, 192.168.1.7, fd00::/8": commas between entries; empty means none.
export function parseTrustedProxies(value: string): TrustedProxiesParse {
  const networks: TrustedNetwork[] = [];
  const issues: string[] = [];
  for (const entry of value.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const [address = '', prefixText] = entry.split('/');
    const version = isIP(address);
    const maxPrefix = version === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
    if (version === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix) {
      issues.push(`"${entry}" is not an IP address or CIDR network`);
      continue;
    }
    networks.push({ address, prefix, family: version === 6 ? 'ipv6' : 'ipv4' });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, networks };
}

// Which address a request comes from. With no trusted proxy (the default) it is the socket's
// peer and X-Forwarded-For is ignored: anyone can write that header. With trusted proxies,
// the chain is read from the right (the hop nearest the gateway) past every trusted
// address; the first untrusted one is the client. Entries left of it were written by the
// client and are never believed.
export class ClientAddress {
  private readonly trusted = new BlockList();
  private readonly anyTrusted: boolean;

  constructor(networks: readonly TrustedNetwork[]) {
    for (const network of networks) {
      this.trusted.addSubnet(network.address, network.prefix, network.family);
    }
    this.anyTrusted = networks.length > 0;
  }

  of(socketAddress: string, forwardedFor: string | string[] | undefined): string {
    let client = unmapped(socketAddress);
    if (!this.anyTrusted || !this.isTrusted(client)) return client;
    const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
      .split(',')
      .map((hop) => unmapped(hop.trim()))
      .filter((hop) => hop !== '');
    for (let i = chain.length - 1; i >= 0; i--) {
      const hop = chain[i] as string;
      // A malformed hop ends what can be believed: the last trusted address stands in.
      if (isIP(hop) === 0) return client;
      client = hop;
      if (!this.isTrusted(hop)) return hop;
    }
    return client;
  }

  private isTrusted(address: string): boolean {
    const version = isIP(address);
    return version !== 0 && this.trusted.check(address, version === 6 ? 'ipv6' : 'ipv4');
  }
}

// Node reports an IPv4 peer of a dual-stack socket as ::ffff:a.b.c.d.
function unmapped(address: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return v4 ?? address;
}

// Loopback only: 127.0.0.0/8, ::1 and the name localhost.
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare === '::1') return true;
  const plain = unmapped(bare);
  return isIP(plain) === 4 && plain.startsWith('127.');
}
