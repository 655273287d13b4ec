import { BadRequestException } from '@nestjs/common';
import { requireIdempotencyKey } from './require-idempotency-key';

describe('requireIdempotencyKey', () => {
  it('returns the key, the first one when the header repeats', () => {
    expect(requireIdempotencyKey('key-1')).toBe('key-1');
    expect(requireIdempotencyKey(['key-1', 'key-2'])).toBe('key-1');
  });

  it('refuses a missing or blank key with a 400 naming the header', () => {
    for (const header of [undefined, '', '   ', []]) {
      expect(() => requireIdempotencyKey(header)).toThrow(BadRequestException);
      expect(() => requireIdempotencyKey(header)).toThrow('the Idempotency-Key header is required');
    }
  });

  it('refuses a key longer than 255 characters', () => {
    expect(() => requireIdempotencyKey('k'.repeat(256))).toThrow('longer than 255 characters');
  });

  it("refuses a key with a character outside the gateway's set", () => {
    for (const key of ['has spaces', 'caf\u00e9', 'a"b']) {
      expect(() => requireIdempotencyKey(key)).toThrow('may hold only');
    }
    expect(requireIdempotencyKey('order-1:capture/A+b=')).toBe('order-1:capture/A+b=');
  });
});
