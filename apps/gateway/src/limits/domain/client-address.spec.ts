import { ClientAddress, isLoopbackHost, parseTrustedProxies } from './client-address';

const trusting = (value: string) => {
  const parsed = parseTrustedProxies(value);
  if (!parsed.ok) throw new Error(parsed.issues.join('; '));
  return new ClientAddress(parsed.networks);
};

describe('client address', () => {
  it('is the socket peer and ignores X-Forwarded-For when no proxy is trusted', () => {
    const address = trusting('');
    expect(address.of('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
    expect(address.of('::ffff:203.0.113.9', undefined)).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(trusting('10.0.0.0/8').of('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
  });

  it('reads the chain from the right past trusted proxies to the first untrusted hop', () => {
    const address = trusting('10.0.0.0/8, 192.168.1.7');
    // The client wrote 1.2.3.4 itself; only what the trusted hops appended is believed.
    expect(address.of('10.0.0.2', '1.2.3.4, 198.51.100.1, 192.168.1.7')).toBe('198.51.100.1');
    expect(address.of('10.0.0.2', ['1.2.3.4', '198.51.100.1'])).toBe('198.51.100.1');
  });

  it('stands on the last trusted address when the chain is empty, all trusted or malformed', () => {
    const address = trusting('10.0.0.0/8');
    expect(address.of('10.0.0.2', undefined)).toBe('10.0.0.2');
    expect(address.of('10.0.0.2', '10.0.0.3')).toBe('10.0.0.3');
    expect(address.of('10.0.0.2', '198.51.100.1, not-an-ip')).toBe('10.0.0.2');
  });

  it('refuses entries that are not addresses or networks, naming them', () => {
    expect(parseTrustedProxies('10.0.0.0/8, proxy.local, 10.0.0.0/33')).toEqual({
      ok: false,
      issues: [
        '"proxy.local" is not an IP address or CIDR network',
        '"10.0.0.0/33" is not an IP address or CIDR network',
      ],
    });
  });

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.0.1.1', '::1', '[::1]', 'localhost']) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'gateway.example', '192.168.1.2']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});
