import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AuthenticatedUser } from './authenticated-user';
import { es256PrivateKey } from './es256-keys';

export interface DevTokenSignerOptions {
  privateKeyPem: string;
  issuer: string;
  audience: string;
  // Lifetime of a token unless sign() says otherwise.
  ttlSeconds?: number;
  // Milliseconds since the epoch; tests move it to mint expired or future tokens.
  now?: () => number;
}

export interface SignOptions {
  ttlSeconds?: number;
}

const DEFAULT_TTL_SECONDS = 3_600;

// Mints ES256 tokens for the demo. Only the gateway's development token endpoint
// uses it, and only when enabled; services never get a private key.
export class DevTokenSigner {
  private readonly key: KeyObject;
  private readonly now: () => number;

  constructor(private readonly options: DevTokenSignerOptions) {
    this.key = es256PrivateKey(options.privateKeyPem);
    this.now = options.now ?? Date.now;
  }

  async sign(
    user: Pick<AuthenticatedUser, 'userId'> & { scopes?: readonly string[] },
    signOptions: SignOptions = {},
  ): Promise<string> {
    const issuedAt = Math.floor(this.now() / 1000);
    const ttl = signOptions.ttlSeconds ?? this.options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    return new SignJWT({ scope: (user.scopes ?? []).join(' ') })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setSubject(user.userId)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttl)
      .setJti(randomUUID())
      .sign(this.key);
  }
}
