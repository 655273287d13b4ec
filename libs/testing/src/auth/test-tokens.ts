import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { SCOPES } from '@suite/contracts';
import { ensureJwtKeys, type JwtKeys } from '../stack/jwt-keys';

// The issuer and audience every service defaults to (JWT_ISSUER, JWT_AUDIENCE).
const ISSUER = 'suite';
const AUDIENCE = 'suite';
const TTL_SECONDS = 3_600;

// A token issuer for tests: boot the service under test with `publicKeyPem`, then send
// `bearer(...)` headers. A shopper's token carries no scope unless asked; `operator`
// carries ops:admin. Tokens have the claims the gateway's development tokens have. (The
// signer is not service-kit's: that library's own tests depend on this one.)
export class TestTokens {
  private readonly key: KeyObject;

  constructor(private readonly keys: JwtKeys = freshKeys()) {
    this.key = createPrivateKey(keys.privateKeyPem);
  }

  get publicKeyPem(): string {
    return this.keys.publicKeyPem;
  }

  token(userId: string, scopes: readonly string[] = []): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ scope: scopes.join(' ') })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + TTL_SECONDS)
      .setJti(randomUUID())
      .sign(this.key);
  }

  async bearer(userId: string, scopes: readonly string[] = []): Promise<{ authorization: string }> {
    return { authorization: `Bearer ${await this.token(userId, scopes)}` };
  }

  operator(userId = 'test-operator'): Promise<{ authorization: string }> {
    return this.bearer(userId, [SCOPES.opsAdmin]);
  }
}

function freshKeys(): JwtKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

// Tokens the running stack accepts: signed with its key pair in .local/keys, as the
// gateway's development tokens are, for callers that talk to a service directly (the PSP's
// fault switch, the rate limiter's admin routes).
export function stackTokens(): TestTokens {
  return new TestTokens(ensureJwtKeys());
}
