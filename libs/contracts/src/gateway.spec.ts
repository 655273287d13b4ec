import {
  GATEWAY_HEADERS,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  IDEMPOTENCY_KEY_MIN_LENGTH,
  IDEMPOTENCY_KEY_PATTERN,
  idempotencyKeyProblem,
} from './gateway';

describe('gateway contract', () => {
  it('spells every forwarded header in lower case, as Node hands headers over', () => {
    for (const name of Object.values(GATEWAY_HEADERS)) {
      expect(name).toBe(name.toLowerCase());
    }
  });

  it('accepts UUIDs, ULIDs and base64 keys', () => {
    for (const key of [
      '3f0c2a52-8d4e-4a53-9b1c-2f7f8e1a9c10',
      '01J9ZQ4D6V3K8M2N5P7R9T1W3Y',
      'q83vEjRf+4J/1mXw==',
    ]) {
      expect(IDEMPOTENCY_KEY_PATTERN.test(key)).toBe(true);
    }
  });

  it('rejects spaces, quotes and control characters', () => {
    for (const key of ['has space12', 'quote"quote', 'tab\tinside1']) {
      expect(IDEMPOTENCY_KEY_PATTERN.test(key)).toBe(false);
    }
  });

  it('bounds the length so a key can be indexed', () => {
    expect(IDEMPOTENCY_KEY_MIN_LENGTH).toBeGreaterThan(0);
    expect(IDEMPOTENCY_KEY_MAX_LENGTH).toBeLessThanOrEqual(255);
  });

  it('states the one Idempotency-Key rule in every refusal, and never the key', () => {
    const rule = 'Idempotency-Key must be 8 to 255 characters of A-Z a-z 0-9 . _ : ~ + / = -';
    expect(idempotencyKeyProblem('a'.repeat(7))).toBe(`${rule}; this one has 7`);
    expect(idempotencyKeyProblem('a'.repeat(256))).toBe(`${rule}; this one has 256`);
    expect(idempotencyKeyProblem('')).toBe(`${rule}; this one has 0`);
    const secret = 'secret token 42';
    expect(idempotencyKeyProblem(secret)).toBe(
      `${rule}; this one has a character outside that set`,
    );
    expect(idempotencyKeyProblem('a'.repeat(8))).toBeUndefined();
    expect(idempotencyKeyProblem('a'.repeat(255))).toBeUndefined();
    expect(idempotencyKeyProblem('3f0c2a52-8d4e-4a53-9b1c-2f7f8e1a9c10')).toBeUndefined();
  });
});
