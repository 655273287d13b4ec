import fc from 'fast-check';
import { COUNTER_SPAN, decodeToken, encodeToken, MAX_COUNTER, MAX_EPOCH } from './fencing-token';

const epoch = fc.integer({ min: 1, max: MAX_EPOCH });
const counter = fc.integer({ min: 1, max: MAX_COUNTER });

describe('fencing token encoding', () => {
  it('round-trips every (epoch, counter) through a safe integer', () => {
    fc.assert(
      fc.property(epoch, counter, (e, c) => {
        const token = encodeToken(e, c);
        expect(Number.isSafeInteger(token)).toBe(true);
        expect(decodeToken(token)).toEqual({ epoch: e, counter: c });
      }),
    );
  });

  it('orders tokens as (epoch, counter) pairs, so any later epoch beats any counter', () => {
    fc.assert(
      fc.property(epoch, counter, epoch, counter, (e1, c1, e2, c2) => {
        const byPair = e1 !== e2 ? Math.sign(e1 - e2) : Math.sign(c1 - c2);
        expect(Math.sign(encodeToken(e1, c1) - encodeToken(e2, c2))).toBe(byPair);
      }),
    );
  });

  it('keeps the largest token exactly representable', () => {
    expect(encodeToken(MAX_EPOCH, MAX_COUNTER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(encodeToken(MAX_EPOCH, MAX_COUNTER) - 1).toBe(encodeToken(MAX_EPOCH, MAX_COUNTER - 1));
  });

  it('refuses values outside the token space instead of wrapping', () => {
    expect(() => encodeToken(0, 1)).toThrow(RangeError);
    expect(() => encodeToken(1, 0)).toThrow(RangeError);
    expect(() => encodeToken(MAX_EPOCH + 1, 1)).toThrow(RangeError);
    expect(() => encodeToken(1, COUNTER_SPAN)).toThrow(RangeError);
    expect(() => encodeToken(1.5, 1)).toThrow(RangeError);
    expect(() => decodeToken(COUNTER_SPAN * 3)).toThrow(RangeError);
    expect(() => decodeToken(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });
});
