import fc from 'fast-check';
import { canonicalJson, requestFingerprint } from './fingerprint';

// Rebuilds an object with its keys in a different insertion order, at every depth.
function reorder(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => reorder(item, seed));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const shuffled = entries
    .map((entry, i) => ({ entry, rank: (i * 7919 + seed) % (entries.length + 13) }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ entry: [k, v] }) => [k, reorder(v, seed + 1)] as const);
  return Object.fromEntries(seed % 2 === 0 ? shuffled.reverse() : shuffled);
}

const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

describe('request fingerprint', () => {
  it('does not depend on the order of object keys at any depth', () => {
    fc.assert(
      fc.property(json, fc.nat(), (body, seed) => {
        const reordered = reorder(body, seed);
        expect(canonicalJson(reordered)).toBe(canonicalJson(body));
        expect(requestFingerprint({ method: 'POST', path: '/payments', body: reordered })).toBe(
          requestFingerprint({ method: 'POST', path: '/payments', body }),
        );
      }),
    );
  });

  it('gives distinct payloads distinct fingerprints', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b));
        expect(requestFingerprint({ method: 'POST', path: '/p', body: a })).not.toBe(
          requestFingerprint({ method: 'POST', path: '/p', body: b }),
        );
      }),
    );
  });

  it('round-trips: canonical text parses back to an equal value', () => {
    fc.assert(
      fc.property(json, (body) => {
        expect(JSON.parse(canonicalJson(body))).toEqual(body);
      }),
    );
  });

  it('binds the fingerprint to method and path', () => {
    const body = { amount: 100 };
    const base = requestFingerprint({ method: 'POST', path: '/payments', body });
    expect(requestFingerprint({ method: 'post', path: '/payments', body })).toBe(base);
    expect(requestFingerprint({ method: 'PUT', path: '/payments', body })).not.toBe(base);
    expect(requestFingerprint({ method: 'POST', path: '/refunds', body })).not.toBe(base);
  });

  it('treats a missing body as null and ignores undefined properties, like JSON', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [undefined] })).toBe('{"b":1,"c":[null]}');
    expect(requestFingerprint({ method: 'POST', path: '/p', body: undefined })).toBe(
      requestFingerprint({ method: 'POST', path: '/p', body: null }),
    );
  });

  it('refuses values JSON cannot carry instead of collapsing them to null', () => {
    expect(() => canonicalJson({ amount: Number.NaN })).toThrow('$.amount is not a finite number');
    expect(() => canonicalJson({ amount: 10n })).toThrow('$.amount is a bigint');
  });

  it('uses toJSON, so a Date fingerprints as its ISO text', () => {
    const at = new Date('2026-11-27T00:00:00.000Z');
    expect(canonicalJson({ at })).toBe('{"at":"2026-11-27T00:00:00.000Z"}');
  });
});
