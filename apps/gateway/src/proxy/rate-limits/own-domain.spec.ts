import { ownDomainRefusal } from './own-domain';

describe("the gateway's own rate-limit domain", () => {
  it('is refused when a check or a usage query names it', () => {
    expect(ownDomainRefusal('gateway', 'gateway')).toEqual({
      kind: 'own-domain',
      domain: 'gateway',
    });
  });

  it('is refused when a repeated query parameter names it among others', () => {
    expect(ownDomainRefusal(['api', 'gateway'], 'gateway')).toEqual({
      kind: 'own-domain',
      domain: 'gateway',
    });
  });

  it('leaves every other domain, and a missing one, to the rate limiter', () => {
    expect(ownDomainRefusal('api', 'gateway')).toBeUndefined();
    expect(ownDomainRefusal(undefined, 'gateway')).toBeUndefined();
    expect(ownDomainRefusal(['api'], 'gateway')).toBeUndefined();
  });
});
