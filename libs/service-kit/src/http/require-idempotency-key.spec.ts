import { BadRequestException } from '@nestjs/common';
import { requireIdempotencyKey } from './require-idempotency-key';

const RULE = 'Idempotency-Key must be 8 to 255 characters of A-Z a-z 0-9 . _ : ~ + / = -';

describe('requireIdempotencyKey', () => {
  it('returns the key, the first one when the header repeats', () => {
    expect(requireIdempotencyKey('key-0001')).toBe('key-0001');
    expect(requireIdempotencyKey(['key-0001', 'key-0002'])).toBe('key-0001');
  });

  it('refuses a missing or blank key with a 400 naming the header', () => {
    for (const header of [undefined, '', '   ', []]) {
      expect(() => requireIdempotencyKey(header)).toThrow(BadRequestException);
      expect(() => requireIdempotencyKey(header)).toThrow('the Idempotency-Key header is required');
    }
  });

  it("refuses a key shorter than the gateway's 8 or longer than 255 characters", () => {
    expect(() => requireIdempotencyKey('k'.repeat(7))).toThrow(`${RULE}; this one has 7`);
    expect(() => requireIdempotencyKey('k'.repeat(256))).toThrow(`${RULE}; this one has 256`);
    expect(requireIdempotencyKey('k'.repeat(8))).toBe('k'.repeat(8));
    expect(requireIdempotencyKey('k'.repeat(255))).toBe('k'.repeat(255));
  });

  it("refuses a key with a character outside the gateway's set", () => {
    for (const key of ['has spaces', 'caf\u00e9-cafe', 'a"b-quoted']) {
      expect(() => requireIdempotencyKey(key)).toThrow(
        `${RULE}; this one has a character outside that set`,
      );
    }
    expect(requireIdempotencyKey('order-1:capture/A+b=')).toBe('order-1:capture/A+b=');
  });
});
