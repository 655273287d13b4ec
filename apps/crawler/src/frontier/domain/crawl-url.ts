// URLs as the frontier keeps them: one spelling per page, so that deduplication is a plain
// equality, and never an address off this machine.

// The simulated web's hosts all live under this domain, served by the web simulator on
// 127.0.0.1. Nothing else but 127.0.0.1 and localhost is ever fetched.
export const LOOPBACK_WEB_DOMAIN = 'web.test';
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost']);

export type Normalised =
  | { ok: true; url: string; host: string; path: string }
  | { ok: false; reason: 'malformed' | 'not-http' | 'off-loopback' };

// The one spelling of a URL: http only; host in lower case (URL does it) without the default
// port; dot segments resolved (URL does it); no fragment; no trailing slash but on "/"; query
// parameters sorted by name, then value. `base` resolves relative links.
export function normaliseUrl(raw: string, base?: string): Normalised {
  let url: URL;
  try {
    url = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (url.protocol !== 'http:') return { ok: false, reason: 'not-http' };
  if (url.username || url.password) return { ok: false, reason: 'malformed' };
  if (!isLoopbackHost(url.hostname)) return { ok: false, reason: 'off-loopback' };
  url.hash = '';
  if (url.pathname.length > 1 && url.pathname.endsWith('/')) {
    url.pathname = url.pathname.replace(/\/+$/, '') || '/';
  }
  url.searchParams.sort();
  // An empty query ("?") is dropped by search = ''.
  if (url.search === '?') url.search = '';
  return { ok: true, url: url.toString(), host: url.host, path: url.pathname };
}

export function isLoopbackHost(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return LOOPBACK_NAMES.has(name) || name.endsWith(`.${LOOPBACK_WEB_DOMAIN}`);
}

// Where a request for `url` is sent: always 127.0.0.1. A web.test host is the web
// simulator's port with the URL's host in the Host header; 127.0.0.1 and localhost keep the
// URL's own port. Anything else has no target: it is never fetched.
export function loopbackTarget(
  url: string,
  webSimulatorPort: number,
): { address: '127.0.0.1'; port: number; hostHeader: string; path: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' || !isLoopbackHost(parsed.hostname)) return undefined;
  const simulated = parsed.hostname.toLowerCase().endsWith(`.${LOOPBACK_WEB_DOMAIN}`);
  return {
    address: '127.0.0.1',
    port: simulated ? webSimulatorPort : Number(parsed.port || 80),
    hostHeader: parsed.host,
    path: `${parsed.pathname}${parsed.search}`,
  };
}
