// A descriptor of the gateway's own domain: refused before the rate limiter is asked, so no
// client spends or reads the limits the gateway enforces.
export interface OwnDomainRefused {
  kind: 'own-domain';
  domain: string;
}

// The domain a check body or a usage query names (one value, or several when a query
// repeats it), refused when it is the gateway's own.
export function ownDomainRefusal(named: unknown, ownDomain: string): OwnDomainRefused | undefined {
  const domains = Array.isArray(named) ? named : [named];
  return domains.includes(ownDomain) ? { kind: 'own-domain', domain: ownDomain } : undefined;
}
