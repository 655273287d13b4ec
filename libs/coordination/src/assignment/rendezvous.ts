import { createHash } from 'node:crypto';

// Rendezvous (highest random weight) hashing: every member computes, from the same member
// list, the same owner for each partition, with no coordinator and no stored assignment.
// A partition belongs to the member with the highest score hash(member, partition); when a
// member joins it takes only the partitions it now scores highest on (about M/N of them),
// and when one leaves only its own partitions move. That is the least movement possible.

// 48 bits of MD5: fast enough for a few thousand calls per tick, spread well, and a safe
// integer, so scores compare as plain numbers. MD5 is used for spread, not for security.
function hash48(text: string): number {
  return createHash('md5').update(text).digest().readUIntBE(0, 6);
}

function assertPartitions(partitions: number): void {
  if (!Number.isSafeInteger(partitions) || partitions < 1 || partitions > 65_536) {
    throw new RangeError(`partitions must be an integer in 1..65536, got ${partitions}`);
  }
}

// The partition of a work key (a job id, a host name), 0 .. partitions - 1. Pure and stable
// across processes and releases: the same key always lands in the same partition.
export function partitionOf(key: string, partitions: number): number {
  assertPartitions(partitions);
  return hash48(`key\u0000${key}`) % partitions;
}

function score(member: string, partition: number): number {
  return hash48(`${partition}\u0000${member}`);
}

// The owner of one partition among `members`, or undefined when there are none. Ties (two
// equal 48-bit scores) go to the smaller member id, so every member still agrees.
export function ownerOf(partition: number, members: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const member of members) {
    const s = score(member, partition);
    if (s > bestScore || (s === bestScore && best !== undefined && member < best)) {
      best = member;
      bestScore = s;
    }
  }
  return best;
}

// The partitions that `member` should own when `members` are the live members, ascending.
export function partitionsFor(
  member: string,
  members: readonly string[],
  partitions: number,
): number[] {
  assertPartitions(partitions);
  const owned: number[] = [];
  for (let p = 0; p < partitions; p++) {
    if (ownerOf(p, members) === member) owned.push(p);
  }
  return owned;
}

// The whole assignment, partition -> owner, for measuring movement and for tests.
export function assignAll(members: readonly string[], partitions: number): (string | undefined)[] {
  assertPartitions(partitions);
  return Array.from({ length: partitions }, (_, p) => ownerOf(p, members));
}

// How many partitions change owner between two assignments of the same size.
export function moved(
  before: readonly (string | undefined)[],
  after: readonly (string | undefined)[],
): number {
  if (before.length !== after.length) throw new RangeError('assignments differ in size');
  return before.reduce((n, owner, p) => n + (owner === after[p] ? 0 : 1), 0);
}
