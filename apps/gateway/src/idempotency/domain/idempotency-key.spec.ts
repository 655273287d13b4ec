import { checkIdempotencyKey } from './idempotency-key';

describe('Idempotency-Key check', () => {
  it('accepts a UUID unchanged', () => {
    const key = '3f0c2a52-8d4e-4a53-9b1c-2f7f8e1a9c10';
    expect(checkIdempotencyKey(key)).toEqual({ ok: true, key });
  });

  it('rejects a missing key and says how to choose one', () => {
    const check = checkIdempotencyKey(undefined);
    expect(check).toEqual({ ok: false, message: expect.stringContaining('is required') });
  });

  it('rejects an empty, short or overlong key', () => {
    expect(checkIdempotencyKey('').ok).toBe(false);
    expect(checkIdempotencyKey('short')).toEqual({
      ok: false,
      message:
        'Idempotency-Key must be 8 to 255 characters of A-Z a-z 0-9 . _ : ~ + / = -; this one has 5',
    });
    expect(checkIdempotencyKey('k'.repeat(256)).ok).toBe(false);
  });

  it('rejects spaces and other characters outside the allowed set without echoing them', () => {
    const check = checkIdempotencyKey('order 42 <script>');
    expect(check.ok).toBe(false);
    expect(JSON.stringify(check)).not.toContain('<script>');
  });

  it('rejects the header sent twice', () => {
    expect(checkIdempotencyKey(['aaaaaaaa', 'bbbbbbbb']).ok).toBe(false);
  });
});
