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
});
