import type { KeyObject } from 'node:crypto';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { AuthenticatedUser } from './authenticated-user';
import { es256PublicKey } from './es256-keys';

export interface JwtVerifierOptions {
  publicKeyPem: string;
  issuer: string;
  audience: string | string[];
  // Accepted skew between the issuer's clock and ours, for exp, nbf and iat.
  clockToleranceSeconds?: number;
  // Oldest token accepted, by its iat, whatever its exp says: a token minted with a long
  // expiry, or leaked, stops working after this long.
  maxTokenAgeSeconds?: number;
}

// A rejected token is an expected outcome, not a failure: the reason is safe to show
// the caller and names what is wrong without revealing anything about the key.
export type VerifyOutcome = { ok: true; user: AuthenticatedUser } | { ok: false; reason: string };

const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
// One day: the longest life the development signer can give a token.
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 86_400;
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// Tokens whose signature was checked, most recently verified last. A client sends the same
// token with every request until it expires, and an ES256 verification costs more than the
// rest of a request's handling.
const VERIFIED_TOKENS_KEPT = 10_000;

interface RequestOutcome {
  token: string;
  outcome: Promise<VerifyOutcome>;
}

// What a cached token still has to pass on every use: the checks that depend on the time.
interface VerifiedToken {
  user: AuthenticatedUser;
  exp: number;
  iat: number;
  nbf: number | undefined;
}

// Verifies ES256 tokens with the public key only. Framework-free, so the gateway and
// a service's guard share it.
export class JwtVerifier {
  private readonly key: KeyObject;
  private readonly issuer: string;
  private readonly audience: string | string[];
  private readonly clockToleranceSeconds: number;
  private readonly maxTokenAgeSeconds: number;
  // The outcome for each request in flight is kept on the request object (under a symbol of
  // this verifier's), so that two checks on one request (the gateway's anonymous limit, then
  // the route's guard) verify once. A WeakMap entry per request made every GC slower.
  private readonly perRequest = Symbol('JwtVerifier.outcome');

  // The signature, algorithm, issuer, audience and subject of a token never change, so they
  // are checked once; exp, nbf and the token's age are checked against the clock each time.
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(options: JwtVerifierOptions) {
    this.key = es256PublicKey(options.publicKeyPem);
    this.issuer = options.issuer;
    this.audience = options.audience;
    this.clockToleranceSeconds = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
    this.maxTokenAgeSeconds = options.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
  }

  // verify(), once per request and token: a second call for the same request object and the
  // same token gets the first call's outcome. The entry goes with the request.
  verifyFor(request: object, token: string): Promise<VerifyOutcome> {
    const holder = request as Record<symbol, RequestOutcome | undefined>;
    const cached = holder[this.perRequest];
    if (cached?.token === token) return cached.outcome;
    const outcome = this.verify(token);
    holder[this.perRequest] = { token, outcome };
    return outcome;
  }

  async verify(token: string): Promise<VerifyOutcome> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      const reason = this.timeRejection(known, Math.floor(Date.now() / 1000));
      // A copy: the caller may not change what the next request is given.
      if (reason === undefined)
        return { ok: true, user: { ...known.user, scopes: [...known.user.scopes] } };
      this.verified.delete(token);
      return { ok: false, reason };
    }
    if (!JWS_COMPACT.test(token)) {
      return { ok: false, reason: 'token is malformed' };
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        // Pinning the algorithm shuts out "alg: none" and HMAC-with-the-public-key tokens.
        algorithms: ['ES256'],
        issuer: this.issuer,
        audience: this.audience,
        // iat is required: without it a token's age cannot be known.
        requiredClaims: ['sub', 'exp', 'iat'],
        maxTokenAge: this.maxTokenAgeSeconds,
        clockTolerance: this.clockToleranceSeconds,
      }));
    } catch (error) {
      return { ok: false, reason: rejectionReason(error) };
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
      return { ok: false, reason: 'token has no subject' };
    }
    const user = { userId: payload.sub, scopes: scopesOf(payload['scope']) };
    this.remember(token, {
      user: { ...user, scopes: [...user.scopes] },
      // jose has just checked that both are numbers (exp and iat are required claims).
      exp: payload.exp as number,
      iat: payload.iat as number,
      nbf: payload.nbf,
    });
    return { ok: true, user };
  }

  private remember(token: string, entry: VerifiedToken): void {
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) {
      // The least recently verified one goes: Map keeps insertion order.
      const oldest = this.verified.keys().next();
      if (oldest.done !== true) this.verified.delete(oldest.value);
    }
    this.verified.set(token, entry);
  }

  // jose's time checks, with its tolerance, for a token whose signature was already checked.
  // All four are checked again: a clock stepped back can make nbf or iat fail.
  private timeRejection(token: VerifiedToken, now: number): string | undefined {
    const tolerance = this.clockToleranceSeconds;
    if (token.nbf !== undefined && token.nbf > now + tolerance) return 'token is not valid yet';
    if (token.exp <= now - tolerance) return 'token has expired';
    const age = now - token.iat;
    if (age - tolerance > this.maxTokenAgeSeconds) {
      return 'token is older than the accepted maximum age';
    }
    if (age < -tolerance) return 'token is issued in the future';
    return undefined;
  }
}

function rejectionReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) {
    // jose says "expired" for a token past its maximum age too, naming iat as the claim.
    return error.claim === 'iat'
      ? 'token is older than the accepted maximum age'
      : 'token has expired';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'token signature is invalid';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return 'token algorithm is not accepted (expected ES256)';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return claimRejection(error);
  }
  if (error instanceof errors.JOSEError) {
    return 'token is malformed';
  }
  // Anything else is a bug here, not the caller's fault; still no details leak.
  throw error;
}

function claimRejection(error: errors.JWTClaimValidationFailed): string {
  switch (error.claim) {
    case 'iss':
      return 'token issuer is not accepted';
    case 'aud':
      return 'token audience is not accepted';
    case 'nbf':
      return 'token is not valid yet';
    case 'sub':
      return 'token has no subject';
    case 'exp':
      return 'token has no expiry';
    case 'iat':
      return error.reason === 'missing' || error.reason === 'invalid'
        ? 'token has no valid issue time (iat)'
        : 'token is issued in the future';
    default:
      return `token claim "${error.claim}" is invalid`;
  }
}

// RFC 8693 `scope`: one space-separated string. An array is accepted too.
function scopesOf(scope: unknown): string[] {
  if (typeof scope === 'string') {
    return scope.split(' ').filter((entry) => entry.length > 0);
  }
  if (Array.isArray(scope)) {
    return scope.filter((entry): entry is string => typeof entry === 'string');
  }
  return [];
}
