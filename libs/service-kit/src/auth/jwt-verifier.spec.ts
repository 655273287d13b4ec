import { createHmac, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { DevTokenSigner } from './dev-token-signer';
import { generateEs256KeyPair } from './es256-keys';
import { JwtVerifier } from './jwt-verifier';

const ISSUER = 'suite-gateway';
const AUDIENCE = 'suite';
const keys = generateEs256KeyPair();
const verifier = new JwtVerifier({
  publicKeyPem: keys.publicKeyPem,
  issuer: ISSUER,
  audience: AUDIENCE,
});

function signer(overrides: Partial<ConstructorParameters<typeof DevTokenSigner>[0]> = {}) {
  return new DevTokenSigner({
    privateKeyPem: keys.privateKeyPem,
    issuer: ISSUER,
    audience: AUDIENCE,
    ...overrides,
  });
}

const base64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('JwtVerifier with DevTokenSigner', () => {
  it('accepts a token it can verify and reads the user id and scopes', async () => {
    const token = await signer().sign({
      userId: 'user-17',
      scopes: ['holds:write', 'orders:read'],
    });
    await expect(verifier.verify(token)).resolves.toEqual({
      ok: true,
      user: { userId: 'user-17', scopes: ['holds:write', 'orders:read'] },
    });
  });

  it('gives a token without scopes an empty list', async () => {
    const token = await signer().sign({ userId: 'user-18' });
    await expect(verifier.verify(token)).resolves.toEqual({
      ok: true,
      user: { userId: 'user-18', scopes: [] },
    });
  });

  it('rejects an expired token', async () => {
    const token = await signer({ now: () => Date.now() - 2 * 3_600_000 }).sign({ userId: 'u' });
    await expect(verifier.verify(token)).resolves.toEqual({
      ok: false,
      reason: 'token has expired',
    });
  });

  it('tolerates a few seconds of clock skew but no more', async () => {
    const justExpired = await signer({ now: () => Date.now() - 62_000 }).sign(
      { userId: 'u' },
      { ttlSeconds: 60 },
    );
    await expect(verifier.verify(justExpired)).resolves.toMatchObject({ ok: true });
    const longExpired = await signer({ now: () => Date.now() - 70_000 }).sign(
      { userId: 'u' },
      { ttlSeconds: 60 },
    );
    await expect(verifier.verify(longExpired)).resolves.toEqual({
      ok: false,
      reason: 'token has expired',
    });
  });

  it('refuses a token older than the maximum age even when it has not expired', async () => {
    const strict = new JwtVerifier({
      publicKeyPem: keys.publicKeyPem,
      issuer: ISSUER,
      audience: AUDIENCE,
      maxTokenAgeSeconds: 3_600,
    });
    const week = 7 * 86_400;
    const old = await signer({ now: () => Date.now() - 2 * 3_600_000 }).sign(
      { userId: 'u' },
      { ttlSeconds: week },
    );
    await expect(strict.verify(old)).resolves.toEqual({
      ok: false,
      reason: 'token is older than the accepted maximum age',
    });
    const young = await signer({ now: () => Date.now() - 60_000 }).sign(
      { userId: 'u' },
      { ttlSeconds: week },
    );
    await expect(strict.verify(young)).resolves.toMatchObject({ ok: true });
    // The default maximum is a day.
    const twoDaysOld = await signer({ now: () => Date.now() - 2 * 86_400_000 }).sign(
      { userId: 'u' },
      { ttlSeconds: week },
    );
    await expect(verifier.verify(twoDaysOld)).resolves.toMatchObject({ ok: false });
  });

  it('refuses a token without an issue time', async () => {
    const noIat = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setSubject('u')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('1h')
      .sign(createPrivateKey(keys.privateKeyPem));
    await expect(verifier.verify(noIat)).resolves.toEqual({
      ok: false,
      reason: 'token has no valid issue time (iat)',
    });
  });

  it('rejects a token signed by another key', async () => {
    const other = generateEs256KeyPair();
    const token = await signer({ privateKeyPem: other.privateKeyPem }).sign({ userId: 'u' });
    await expect(verifier.verify(token)).resolves.toEqual({
      ok: false,
      reason: 'token signature is invalid',
    });
  });

  it('rejects a token whose payload was edited after signing', async () => {
    const [header, , signature] = (await signer().sign({ userId: 'user-1' })).split('.');
    const forged = base64url({ sub: 'admin', iss: ISSUER, aud: AUDIENCE, exp: 9_999_999_999 });
    await expect(verifier.verify(`${header}.${forged}.${signature}`)).resolves.toEqual({
      ok: false,
      reason: 'token signature is invalid',
    });
  });

  it('rejects another issuer or audience', async () => {
    const wrongIssuer = await signer({ issuer: 'someone-else' }).sign({ userId: 'u' });
    const wrongAudience = await signer({ audience: 'other-suite' }).sign({ userId: 'u' });
    await expect(verifier.verify(wrongIssuer)).resolves.toEqual({
      ok: false,
      reason: 'token issuer is not accepted',
    });
    await expect(verifier.verify(wrongAudience)).resolves.toEqual({
      ok: false,
      reason: 'token audience is not accepted',
    });
  });

  it('rejects "alg: none" and an HMAC token keyed with the public key', async () => {
    const claims = { sub: 'admin', iss: ISSUER, aud: AUDIENCE, exp: 9_999_999_999 };
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
    const hmacInput = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}`;
    const hmac = `${hmacInput}.${createHmac('sha256', keys.publicKeyPem).update(hmacInput).digest('base64url')}`;
    await expect(verifier.verify(unsigned)).resolves.toEqual({
      ok: false,
      reason: 'token is malformed',
    });
    await expect(verifier.verify(hmac)).resolves.toEqual({
      ok: false,
      reason: 'token algorithm is not accepted (expected ES256)',
    });
  });

  it.each(['not-a-jwt', 'a.b.c', `${base64url('{')}.${base64url('{}')}.c2ln`, ''])(
    'rejects the malformed token %p',
    async (token) => {
      await expect(verifier.verify(token)).resolves.toEqual({
        ok: false,
        reason: 'token is malformed',
      });
    },
  );
});

describe('key handling', () => {
  it('refuses a private key where a public key is expected', () => {
    expect(
      () =>
        new JwtVerifier({ publicKeyPem: keys.privateKeyPem, issuer: ISSUER, audience: AUDIENCE }),
    ).toThrow('publicKeyPem holds a private key; give services only the public key');
  });

  it('refuses keys that are not PEM or not P-256, without echoing them', () => {
    expect(
      () => new JwtVerifier({ publicKeyPem: 'hunter2', issuer: ISSUER, audience: AUDIENCE }),
    ).toThrow(/^publicKeyPem is not a valid PEM key$/);
    const rsa = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    expect(
      () => new JwtVerifier({ publicKeyPem: rsa.publicKey, issuer: ISSUER, audience: AUDIENCE }),
    ).toThrow('publicKeyPem must be an EC P-256 key for ES256');
    expect(() => signer({ privateKeyPem: rsa.privateKey })).toThrow(
      'privateKeyPem must be an EC P-256 key for ES256',
    );
  });

  it('generates a distinct SPKI/PKCS#8 pair each time', () => {
    const other = generateEs256KeyPair();
    expect(keys.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(keys.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(other.publicKeyPem).not.toBe(keys.publicKeyPem);
  });
});

describe('JwtVerifier.verifyFor: one verification per request', () => {
  it('gives a second check of the same request and token the first outcome', async () => {
    const token = await signer().sign({ userId: 'user-9', scopes: [] });
    const request = {};
    const first = verifier.verifyFor(request, token);
    expect(verifier.verifyFor(request, token)).toBe(first);
    await expect(first).resolves.toMatchObject({ ok: true, user: { userId: 'user-9' } });
  });

  it('verifies again for another request, or another token on the same request', async () => {
    const token = await signer().sign({ userId: 'user-9', scopes: [] });
    const other = await signer().sign({ userId: 'user-10', scopes: [] });
    const request = {};
    const first = verifier.verifyFor(request, token);
    expect(verifier.verifyFor({}, token)).not.toBe(first);
    const second = verifier.verifyFor(request, other);
    expect(second).not.toBe(first);
    await expect(second).resolves.toMatchObject({ ok: true, user: { userId: 'user-10' } });
  });
});

describe('JwtVerifier: a token verified once', () => {
  const started = Date.parse('2026-11-30T12:00:00Z');
  const options = {
    publicKeyPem: keys.publicKeyPem,
    issuer: ISSUER,
    audience: AUDIENCE,
    // Short, so that a token outlives its maximum age within its expiry.
    maxTokenAgeSeconds: 120,
  };

  beforeEach(() => {
    // Only the clock: jose's promises and the crypto calls run as usual.
    jest.useFakeTimers({
      now: started,
      doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'setTimeout', 'setInterval'],
    });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('gets the answer a fresh verification would give, whenever it is used again', async () => {
    const remembering = new JwtVerifier(options);
    const longLived = await signer({ now: () => started }).sign(
      { userId: 'user-5', scopes: ['orders:read'] },
      { ttlSeconds: 3_600 },
    );
    const shortLived = await signer({ now: () => started }).sign(
      { userId: 'user-6' },
      { ttlSeconds: 60 },
    );
    await expect(remembering.verify(longLived)).resolves.toMatchObject({ ok: true });
    await expect(remembering.verify(shortLived)).resolves.toMatchObject({ ok: true });
    // Before the issue time (a clock stepped back), within the tolerance, past the short
    // token's expiry, past the maximum age, past the long token's expiry.
    const answers: string[] = [];
    for (const offsetSeconds of [-600, -3, 30, 64, 66, 124, 126, 3_700]) {
      jest.setSystemTime(started + offsetSeconds * 1_000);
      for (const token of [longLived, shortLived]) {
        const fresh = await new JwtVerifier(options).verify(token);
        await expect(remembering.verify(token)).resolves.toEqual(fresh);
        answers.push(fresh.ok ? 'ok' : fresh.reason);
      }
    }
    // Every kind of time-based refusal was met on the way.
    expect(new Set(answers)).toEqual(
      new Set([
        'ok',
        'token is issued in the future',
        'token has expired',
        'token is older than the accepted maximum age',
      ]),
    );
  });

  it('still refuses an edited copy of a token it has accepted', async () => {
    const remembering = new JwtVerifier(options);
    const token = await signer({ now: () => started }).sign({ userId: 'user-7', scopes: [] });
    await expect(remembering.verify(token)).resolves.toMatchObject({ ok: true });
    const [header, , signature] = token.split('.');
    const forged = [
      header,
      base64url({ sub: 'admin', scope: 'ops:admin', iss: ISSUER, aud: AUDIENCE }),
      signature,
    ].join('.');
    await expect(remembering.verify(forged)).resolves.toEqual({
      ok: false,
      reason: 'token signature is invalid',
    });
  });

  it('hands out a copy of the user, so one request cannot change the next one', async () => {
    const remembering = new JwtVerifier(options);
    const token = await signer({ now: () => started }).sign({ userId: 'user-8', scopes: ['a'] });
    const first = await remembering.verify(token);
    if (!first.ok) throw new Error(first.reason);
    first.user.scopes.push('ops:admin');
    await expect(remembering.verify(token)).resolves.toEqual({
      ok: true,
      user: { userId: 'user-8', scopes: ['a'] },
    });
  });
});
