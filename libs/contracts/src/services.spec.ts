import { DEFAULT_PORTS, SERVICE_NAMES, isServiceName } from './services';

describe('services', () => {
  it('names are unique', () => {
    expect(new Set(SERVICE_NAMES).size).toBe(SERVICE_NAMES.length);
  });

  it('every service has its own port', () => {
    const ports = SERVICE_NAMES.map((name) => DEFAULT_PORTS[name]);
    expect(new Set(ports).size).toBe(SERVICE_NAMES.length);
    for (const port of ports) {
      expect(Number.isInteger(port) && port > 0 && port < 65536).toBe(true);
    }
  });

  it('has no port for a name that is not a service', () => {
    expect(Object.keys(DEFAULT_PORTS).sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it('recognises service names', () => {
    expect(isServiceName('psp-simulator')).toBe(true);
    expect(isServiceName('billing')).toBe(false);
  });
});
