import { rateLimitPolicySchema, type RateLimitPolicy } from '@suite/coordination';
import { z } from 'zod';
import { ROUTE_IDS } from '../routes/gateway-routes';

// Where a policy applies. `user` and `api-key` count every proxied request of one caller;
// a route policy counts one caller's requests to one route (keyed by user).
export type PolicyScope = 'user' | 'api-key' | 'route';

export interface GatewayPolicy {
  scope: PolicyScope;
  // The name in RateLimit / RateLimit-Policy headers: "user", "api-key" or the route id.
  label: string;
  // Only for scope 'route'.
  routeId?: string;
  policy: RateLimitPolicy;
}

export interface RateLimitsConfig {
  policies: GatewayPolicy[];
}

// A policy in config is a limiter policy without its name: the gateway names it, so the
// Redis keys of two gateway instances agree without anyone spelling them.
type PolicyInput = Omit<RateLimitPolicy, 'name'>;

export const DEFAULT_RATE_LIMITS: {
  user: PolicyInput;
  apiKey: PolicyInput;
  routes: Record<string, PolicyInput>;
} = {
  // Exact: a user never gets more than 120 proxied requests in any 60 s. While Redis is
  // down each instance admits up to 60 per user on its own.
  user: {
    algorithm: 'sliding-log',
    limit: 120,
    windowMs: 60_000,
    failure: 'open',
    fallback: { limit: 60 },
  },
  // One API key is shared by many users of a partner: large limit, O(1) memory.
  apiKey: { algorithm: 'sliding-counter', limit: 1_000, windowMs: 60_000, failure: 'open' },
  routes: {
    // Holding seats is what a scalper automates: the tightest non-money limit.
    'holds.place': {
      algorithm: 'sliding-log',
      limit: 20,
      windowMs: 60_000,
      failure: 'open',
      fallback: { limit: 10 },
    },
    'checkouts.create': {
      algorithm: 'sliding-log',
      limit: 10,
      windowMs: 60_000,
      failure: 'open',
      fallback: { limit: 5 },
    },
    // The direct payment API is for back offices: it fails closed rather than admit an
    // unknown number of charges while the limit cannot be counted.
    'payments.create': { algorithm: 'sliding-log', limit: 10, windowMs: 60_000, failure: 'closed' },
    'payments.refund': { algorithm: 'sliding-log', limit: 10, windowMs: 60_000, failure: 'closed' },
  },
};

const POLICY_NAME_PREFIX = 'gateway';

const rawShape = z
  .object({
    user: z.unknown().optional(),
    apiKey: z.unknown().optional(),
    routes: z.record(z.unknown()).optional(),
  })
  .strict();

// RATE_LIMITS is JSON: {"user": {...}, "apiKey": {...}, "routes": {"holds.place": {...}}}.
// Each part given replaces its default; "routes" replaces the whole route table.
export const rateLimitsVar = z
  .string()
  .optional()
  .transform((raw, ctx): RateLimitsConfig => {
    let input: unknown = {};
    if (raw !== undefined) {
      try {
        input = JSON.parse(raw);
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a JSON object' });
        return z.NEVER;
      }
    }
    const shape = rawShape.safeParse(input);
    if (!shape.success) {
      for (const issue of shape.error.issues) {
        ctx.addIssue({ ...issue, path: issue.path });
      }
      return z.NEVER;
    }
    const policies: GatewayPolicy[] = [];
    const add = (scope: PolicyScope, label: string, value: unknown, routeId?: string) => {
      const name = `${POLICY_NAME_PREFIX}.${scope}${routeId === undefined ? '' : `.${routeId}`}`;
      const parsed = rateLimitPolicySchema.safeParse({ ...(value as object), name });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [label, ...issue.path],
            message: issue.message,
          });
        }
        return;
      }
      policies.push({ scope, label, policy: parsed.data, ...(routeId ? { routeId } : {}) });
    };
    add('user', 'user', shape.data.user ?? DEFAULT_RATE_LIMITS.user);
    add('api-key', 'api-key', shape.data.apiKey ?? DEFAULT_RATE_LIMITS.apiKey);
    for (const [routeId, value] of Object.entries(
      shape.data.routes ?? DEFAULT_RATE_LIMITS.routes,
    )) {
      if (!ROUTE_IDS.includes(routeId)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['routes', routeId],
          message: `unknown route id; one of ${ROUTE_IDS.join(', ')}`,
        });
        continue;
      }
      add('route', routeId, value, routeId);
    }
    return { policies };
  });
