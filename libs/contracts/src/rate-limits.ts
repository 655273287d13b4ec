import { createHash } from 'node:crypto';
import { z } from 'zod';

// The descriptor-policy file shared by the rate-limiter service and the gateway, which embeds
// the same limiter in process. Both read the same file format, select policies with the same
// matching rules and name Redis keys the same way, so a gateway and the service that see
// the same descriptor count in the same window.
//
//   {
//     "version": "2026-11-27.1",
//     "domains": [{
//       "domain": "api",
//       "policies": [
//         { "name": "per-user", "match": { "user": "*" }, "algorithm": "sliding-log",
//           "limit": 100, "windowMs": 60000, "failure": "open", "fallback": { "limit": 25 } },
//         { "name": "holds", "match": { "route": "POST /holds" }, "algorithm": "gcra",
//           "limit": 10, "windowMs": 1000, "burst": 20, "failure": "closed" }
//       ]
//     }]
//   }
//
// A descriptor is a set of entries ({ "user": "42", "route": "POST /holds" }). A policy's
// `match` applies to a descriptor with exactly the same keys, where "*" matches any value.
// Of several matching policies the most specific wins (fewest "*"), then the earliest in
// the file. The per-policy limit fields mirror @suite/coordination's rateLimitPolicySchema,
// which each consumer applies as well when it builds the limiter.

export const RATE_LIMIT_WILDCARD = '*';
export const RATE_LIMIT_ALGORITHMS = [
  'sliding-log',
  'sliding-counter',
  'gcra',
  'fixed-window',
] as const;

const MAX_LIMIT = 1_000_000;
const MAX_WINDOW_MS = 86_400_000;
export const MAX_DESCRIPTOR_ENTRIES = 8;
export const MAX_DESCRIPTOR_VALUE_LENGTH = 256;

// Descriptor keys are short identifiers; values are free text (a route, a user id).
export const DESCRIPTOR_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
export const descriptorKeySchema = z
  .string()
  .regex(DESCRIPTOR_KEY_PATTERN, 'descriptor keys are 1-64 of A-Z a-z 0-9 _ . -');
export const descriptorValueSchema = z.string().min(1).max(MAX_DESCRIPTOR_VALUE_LENGTH);

export const rateLimitDescriptorSchema = z
  .record(descriptorKeySchema, descriptorValueSchema)
  .refine((entries) => Object.keys(entries).length >= 1, 'a descriptor needs at least one entry')
  .refine(
    (entries) => Object.keys(entries).length <= MAX_DESCRIPTOR_ENTRIES,
    `a descriptor has at most ${MAX_DESCRIPTOR_ENTRIES} entries`,
  );

export type RateLimitDescriptor = Record<string, string>;

// rateLimitDescriptorSchema as JSON Schema (OpenAPI 3.1), for the rate limiter's and the
// gateway's documents. Values carry no control character (no service accepts one).
const DESCRIPTOR_KEY = DESCRIPTOR_KEY_PATTERN.source.slice(1, -1);
export const RATE_LIMIT_DESCRIPTOR_JSON_SCHEMA = {
  type: 'object',
  description: 'Entries of one limit to apply, e.g. { "user": "42" }',
  minProperties: 1,
  maxProperties: MAX_DESCRIPTOR_ENTRIES,
  propertyNames: { pattern: DESCRIPTOR_KEY_PATTERN.source },
  additionalProperties: {
    type: 'string',
    minLength: 1,
    maxLength: MAX_DESCRIPTOR_VALUE_LENGTH,
    pattern: '^[^\\u0000-\\u001F\\u007F]*$',
  },
} as const;

// One `descriptor` query parameter of GET /usage in its "key:value,key:value" form (its JSON
// form, for values that hold a ",", is accepted too but not described by this pattern).
const DESCRIPTOR_PAIR = `${DESCRIPTOR_KEY}:[^,\\u0000-\\u001F\\u007F]{1,${MAX_DESCRIPTOR_VALUE_LENGTH}}`;
export const DESCRIPTOR_PARAM_PATTERN = `^${DESCRIPTOR_PAIR}(,${DESCRIPTOR_PAIR}){0,${MAX_DESCRIPTOR_ENTRIES - 1}}$`;

const count = z.number().int().positive().max(MAX_LIMIT);
const windowMs = z.number().int().positive().max(MAX_WINDOW_MS);
// Domain and policy names join with '.' into the limiter's policy name (at most 64 chars,
// part of every Redis key), so neither may contain '.'.
const namePart = (max: number) =>
  z.string().regex(new RegExp(`^[A-Za-z0-9_-]{1,${max}}$`), `1-${max} of A-Z a-z 0-9 _ -`);

export const descriptorPolicySchema = z
  .object({
    name: namePart(31),
    match: rateLimitDescriptorSchema,
    algorithm: z.enum(RATE_LIMIT_ALGORITHMS),
    limit: count,
    windowMs,
    burst: count.optional(),
    failure: z.enum(['open', 'closed']),
    fallback: z.object({ limit: count, windowMs: windowMs.optional() }).strict().optional(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    if (policy.burst !== undefined && policy.algorithm !== 'gcra') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['burst'],
        message: 'burst applies to algorithm gcra only',
      });
    }
    if (policy.fallback && policy.failure === 'closed') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['fallback'],
        message: "a fallback limiter only applies to failure: 'open'",
      });
    }
  });

export type DescriptorPolicy = z.infer<typeof descriptorPolicySchema>;

export const rateLimitDomainSchema = z
  .object({
    domain: namePart(32),
    policies: z.array(descriptorPolicySchema).min(1),
  })
  .strict()
  .superRefine(({ policies }, ctx) => {
    const names = new Set<string>();
    const matchers = new Map<string, string>();
    policies.forEach((policy, i) => {
      if (names.has(policy.name)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['policies', i, 'name'],
          message: `duplicate policy name "${policy.name}"`,
        });
      }
      names.add(policy.name);
      // Two policies with the same matcher: the second could never decide.
      const matcher = descriptorKey(policy.match);
      const earlier = matchers.get(matcher);
      if (earlier !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['policies', i, 'match'],
          message: `policy "${policy.name}" has the same match as "${earlier}"`,
        });
      } else {
        matchers.set(matcher, policy.name);
      }
    });
  });

export type RateLimitDomain = z.infer<typeof rateLimitDomainSchema>;

export const rateLimitPolicyFileSchema = z
  .object({
    // Free-form label for operators ("2026-11-27.1"); the content hash identifies a file.
    version: z.string().min(1).max(64).optional(),
    domains: z.array(rateLimitDomainSchema),
  })
  .strict()
  .superRefine(({ domains }, ctx) => {
    const seen = new Set<string>();
    domains.forEach(({ domain }, i) => {
      if (seen.has(domain)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['domains', i, 'domain'],
          message: `duplicate domain "${domain}"`,
        });
      }
      seen.add(domain);
    });
  });

export type RateLimitPolicyFile = z.infer<typeof rateLimitPolicyFileSchema>;

export type PolicyFileParse =
  | { ok: true; file: RateLimitPolicyFile }
  | { ok: false; issues: string[] };

// Every issue, each with its path ("domains.0.policies.1.limit: ..."), so an operator can
// fix a file in one pass.
export function parseRateLimitPolicyFile(input: unknown): PolicyFileParse {
  const parsed = rateLimitPolicyFileSchema.safeParse(input);
  if (parsed.success) return { ok: true, file: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`,
    ),
  };
}

// The limiter's policy name, which is part of every Redis key of that policy.
export function limiterPolicyName(domain: string, policy: string): string {
  return `${domain}.${policy}`;
}

// The client key within a policy: entries sorted by key and percent-encoded, so one
// descriptor always maps to one key whichever order its entries came in, and no value can
// forge another entry.
export function descriptorKey(descriptor: RateLimitDescriptor): string {
  return Object.keys(descriptor)
    .sort()
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(descriptor[key] as string)}`)
    .join('&');
}

export function matchesDescriptor(
  match: RateLimitDescriptor,
  descriptor: RateLimitDescriptor,
): boolean {
  const keys = Object.keys(match);
  if (keys.length !== Object.keys(descriptor).length) return false;
  return keys.every((key) => {
    const value = descriptor[key];
    if (value === undefined) return false;
    return match[key] === RATE_LIMIT_WILDCARD || match[key] === value;
  });
}

const wildcards = (match: RateLimitDescriptor) =>
  Object.values(match).filter((value) => value === RATE_LIMIT_WILDCARD).length;

// The one policy that limits this descriptor, or undefined when none matches.
export function selectPolicy<P extends { match: RateLimitDescriptor }>(
  policies: readonly P[],
  descriptor: RateLimitDescriptor,
): P | undefined {
  let best: P | undefined;
  for (const policy of policies) {
    if (!matchesDescriptor(policy.match, descriptor)) continue;
    if (best === undefined || wildcards(policy.match) < wildcards(best.match)) best = policy;
  }
  return best;
}

// Header values of the IETF draft "RateLimit header fields for HTTP"
// (draft-ietf-httpapi-ratelimit-headers): structured-field lists whose items are policy
// names, with q (quota units), w (window, s), r (remaining units) and t (s until reset).
export interface QuotaPolicyValue {
  policy: string;
  limit: number;
  windowMs: number;
}

export interface QuotaStateValue {
  policy: string;
  remaining: number;
  // Seconds are rounded up: a client that waits t seconds never arrives early.
  resetMs: number;
}

const sfString = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1_000));

export function rateLimitPolicyHeader(policies: readonly QuotaPolicyValue[]): string {
  return policies
    .map((p) => `${sfString(p.policy)};q=${p.limit};w=${Math.max(1, seconds(p.windowMs))}`)
    .join(', ');
}

export function rateLimitHeader(states: readonly QuotaStateValue[]): string {
  return states
    .map((s) => `${sfString(s.policy)};r=${Math.max(0, s.remaining)};t=${seconds(s.resetMs)}`)
    .join(', ');
}

// Retry-After in whole seconds, at least 1: 0 would invite an immediate retry.
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, seconds(retryAfterMs));
}

// The descriptors one HTTP request carries, as the gateway builds them. A service or a
// client that calls the rate limiter with the same descriptors counts in the gateway's
// windows (same file, same domain, same REDIS_KEY_PREFIX).
export const REQUEST_DESCRIPTOR_KEYS = {
  // The token's `sub`.
  user: 'user',
  // Only for a caller without a token (a public route): the client's address.
  clientIp: 'client_ip',
  // A digest of the x-api-key, never the key itself: Redis keys are not secret.
  apiKey: 'api_key',
  // "<METHOD> <path template>", e.g. "POST /auctions/:auctionId/bids".
  route: 'route',
} as const;

export function routeDescriptorValue(method: string, pathTemplate: string): string {
  return `${method.toUpperCase()} ${pathTemplate}`;
}

// 32 characters of base64url SHA-256 (192 bits): unique per key, useless to a reader.
export function apiKeyDescriptorValue(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('base64url').slice(0, 32);
}

export interface RequestRateLimitSubject {
  // The verified caller; absent on a public route called without a token.
  userId?: string;
  // Used only when userId is absent.
  clientIp?: string;
  // The raw x-api-key; digested here.
  apiKey?: string;
  // routeDescriptorValue(...) of the matched route.
  route: string;
}

// Every descriptor of one request. Each has its own set of keys, so each selects at most
// one policy, and a request is counted at most once per policy:
//   {caller}, {caller, route}, {route}, and with an API key {api_key}, {api_key, route},
// where caller is {user} or, without a token, {client_ip}.
export function requestDescriptors(subject: RequestRateLimitSubject): RateLimitDescriptor[] {
  const { route } = REQUEST_DESCRIPTOR_KEYS;
  const descriptors: RateLimitDescriptor[] = [];
  const caller: RateLimitDescriptor | undefined =
    subject.userId !== undefined
      ? { [REQUEST_DESCRIPTOR_KEYS.user]: subject.userId }
      : subject.clientIp !== undefined
        ? { [REQUEST_DESCRIPTOR_KEYS.clientIp]: subject.clientIp }
        : undefined;
  if (caller) descriptors.push(caller, { ...caller, [route]: subject.route });
  descriptors.push({ [route]: subject.route });
  if (subject.apiKey !== undefined) {
    const apiKey = { [REQUEST_DESCRIPTOR_KEYS.apiKey]: apiKeyDescriptorValue(subject.apiKey) };
    descriptors.push(apiKey, { ...apiKey, [route]: subject.route });
  }
  return descriptors;
}
