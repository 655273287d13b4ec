// A fencing token is one safe-integer number: epoch * 2^32 + counter.
//
// The epoch comes from a durable Postgres sequence and changes only when Redis has lost the
// scope's keys; the counter is per resource and restarts at 1 in each epoch. Comparing two
// tokens as numbers therefore compares (epoch, counter) lexicographically, which is what
// keeps tokens increasing across a Redis restart (ADR 0003).
//
// Limits, both checked and never wrapped:
//   counter  1 .. 2^32 - 1 acquisitions of one resource per epoch
//   epoch    1 .. 2^21 - 1 epochs in the life of the database (2^21 * 2^32 = 2^53), which is
//            the sequence's maxvalue in sql/001_fencing.sql
export const COUNTER_BITS = 32;
export const COUNTER_SPAN = 2 ** COUNTER_BITS;
export const MAX_COUNTER = COUNTER_SPAN - 1;
export const MAX_EPOCH = 2 ** (53 - COUNTER_BITS) - 1;

export interface DecodedToken {
  epoch: number;
  counter: number;
}

export function encodeToken(epoch: number, counter: number): number {
  assertInRange('epoch', epoch, MAX_EPOCH);
  assertInRange('counter', counter, MAX_COUNTER);
  // Both factors are below 2^53 and the sum stays below it, so this is exact.
  return epoch * COUNTER_SPAN + counter;
}

export function decodeToken(token: number): DecodedToken {
  if (!Number.isSafeInteger(token) || token < COUNTER_SPAN + 1) {
    throw new RangeError(`not a fencing token: ${token}`);
  }
  const counter = token % COUNTER_SPAN;
  const epoch = (token - counter) / COUNTER_SPAN;
  if (counter === 0) throw new RangeError(`not a fencing token (counter 0): ${token}`);
  return { epoch, counter };
}

function assertInRange(what: string, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new RangeError(`fencing ${what} must be an integer in 1..${max}, got ${value}`);
  }
}
