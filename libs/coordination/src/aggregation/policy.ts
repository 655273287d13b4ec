import { z } from 'zod';

// A policy is plain data so the rate-limiter service can load many of them from a config
// file and validate them at boot. The limits below keep every script's arithmetic in exact
// integers inside a double (< 2^53): limit × windowMs and GCRA's tolerance in µs.
const MAX_LIMIT = 1_000_000;
const MAX_WINDOW_MS = 86_400_000;

const count = z.number().int().positive().max(MAX_LIMIT);

const common = {
  // Part of every Redis key, so no ':' '{' or '}': policies cannot alias each other's keys.
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'name must be 1-64 of A-Z a-z 0-9 _ . -'),
  // Units admitted per window (for GCRA: the sustained rate, limit per windowMs).
  limit: count,
  windowMs: z.number().int().positive().max(MAX_WINDOW_MS),
  // What happens while Redis cannot answer within the limiter's timeout.
  failure: z.enum(['open', 'closed']),
  // In-process limiter used while Redis is down (failure: 'open' only). Its limit is per
  // process, e.g. the policy's limit divided by the number of instances expected.
  fallback: z
    .object({
      limit: count,
      windowMs: z.number().int().positive().max(MAX_WINDOW_MS).optional(),
    })
    .strict()
    .optional(),
};

export const rateLimitPolicySchema = z
  .discriminatedUnion('algorithm', [
    z.object({ algorithm: z.literal('sliding-log'), ...common }).strict(),
    z.object({ algorithm: z.literal('sliding-counter'), ...common }).strict(),
    z
      .object({
        algorithm: z.literal('gcra'),
        ...common,
        // Units that may be spent at once from idle; defaults to limit.
        burst: count.optional(),
      })
      .strict(),
    // Naive: for the demo of the boundary burst only.
    z.object({ algorithm: z.literal('fixed-window'), ...common }).strict(),
  ])
  .superRefine((policy, ctx) => {
    if (policy.fallback && policy.failure === 'closed') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['fallback'],
        message: "a fallback limiter only applies to failure: 'open'",
      });
    }
    // GCRA's tolerance (burst × interval) must stay an exact integer of µs.
    if (
      policy.algorithm === 'gcra' &&
      ((policy.burst ?? policy.limit) / policy.limit) * policy.windowMs > MAX_WINDOW_MS
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['burst'],
        message: 'burst must refill within one day (burst / limit × windowMs ≤ 86400000)',
      });
    }
  });

export type RateLimitPolicy = z.infer<typeof rateLimitPolicySchema>;
export type RateLimitAlgorithm = RateLimitPolicy['algorithm'];

export class InvalidRateLimitPolicyError extends Error {
  readonly code = 'INVALID_RATE_LIMIT_POLICY';

  constructor(readonly issues: readonly string[]) {
    super(`invalid rate-limit policy: ${issues.join('; ')}`);
    this.name = 'InvalidRateLimitPolicyError';
  }
}

// Config is checked once, at boot; a bad policy is a bug, so this throws.
export function parseRateLimitPolicy(input: unknown): RateLimitPolicy {
  const parsed = rateLimitPolicySchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidRateLimitPolicyError(
    parsed.error.issues.map((issue) => `${issue.path.join('.') || '(policy)'}: ${issue.message}`),
  );
}
