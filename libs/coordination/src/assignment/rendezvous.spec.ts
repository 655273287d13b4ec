import fc from 'fast-check';
import { assignAll, moved, ownerOf, partitionOf, partitionsFor } from './rendezvous';

const memberIds = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), {
  minLength: 1,
  maxLength: 12,
});

describe('partitionOf', () => {
  it('is stable and within 0..M-1', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 1024 }), (key, m) => {
        const p = partitionOf(key, m);
        expect(p).toBe(partitionOf(key, m));
        expect(Number.isInteger(p) && p >= 0 && p < m).toBe(true);
      }),
    );
  });

  it('spreads keys evenly: 64 000 keys over 64 partitions stay within 10 % of the mean', () => {
    const counts = new Map<number, number>();
    for (let i = 0; i < 64_000; i++) {
      const p = partitionOf(`host-${i}.example`, 64);
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    expect(counts.size).toBe(64);
    expect(Math.min(...counts.values())).toBeGreaterThan(900);
    expect(Math.max(...counts.values())).toBeLessThan(1100);
  });

  it('refuses a partition count that is not a positive integer', () => {
    expect(() => partitionOf('k', 0)).toThrow(RangeError);
    expect(() => partitionOf('k', 1.5)).toThrow(RangeError);
  });
});

describe('rendezvous assignment', () => {
  it('does not depend on the order the member list was read in', () => {
    fc.assert(
      fc.property(memberIds, fc.integer({ min: 0, max: 255 }), (members, p) => {
        expect(ownerOf(p, members)).toBe(ownerOf(p, [...members].reverse()));
      }),
    );
  });

  it('gives each partition to exactly one live member', () => {
    fc.assert(
      fc.property(memberIds, (members) => {
        const mine = members.flatMap((m) => partitionsFor(m, members, 64));
        expect(mine.sort((a, b) => a - b)).toEqual([...Array(64).keys()]);
      }),
    );
  });

  it('moves to a joining member only, and only partitions it now owns', () => {
    fc.assert(
      fc.property(memberIds, fc.string({ minLength: 1, maxLength: 12 }), (members, joiner) => {
        fc.pre(!members.includes(joiner));
        const before = assignAll(members, 64);
        const after = assignAll([...members, joiner], 64);
        after.forEach((owner, p) => {
          if (owner !== before[p]) expect(owner).toBe(joiner);
        });
      }),
    );
  });

  it('moves only the partitions of a member that leaves', () => {
    fc.assert(
      fc.property(memberIds, fc.nat(), (members, pick) => {
        fc.pre(members.length >= 2);
        const leaver = members[pick % members.length] as string;
        const before = assignAll(members, 64);
        const after = assignAll(
          members.filter((m) => m !== leaver),
          64,
        );
        expect(moved(before, after)).toBe(before.filter((o) => o === leaver).length);
      }),
    );
  });

  it('moves about M/N partitions when the N-th member joins (64 partitions, 8 members)', () => {
    const members = Array.from({ length: 8 }, (_, i) => `scheduler-${i}`);
    const before = assignAll(members.slice(0, 7), 64);
    const after = assignAll(members, 64);
    // Ideal 8; rendezvous moves exactly what the newcomer wins, which varies around it.
    expect(moved(before, after)).toBeGreaterThan(2);
    expect(moved(before, after)).toBeLessThan(16);
  });

  it('a plain modulo over the sorted list moves most partitions on a join, for contrast', () => {
    const modulo = (members: string[]) =>
      Array.from({ length: 64 }, (_, p) => [...members].sort()[p % members.length]);
    const members = Array.from({ length: 8 }, (_, i) => `scheduler-${i}`);
    expect(moved(modulo(members.slice(0, 7)), modulo(members))).toBeGreaterThan(40);
  });
});
