// Token scopes (the JWT's space-separated `scope` claim) that a service checks before it
// acts. A shopper's token carries none of these; each names one kind of trusted caller.
export const SCOPES = {
  // The back-office payments API: capture a payment directly, refund one.
  paymentsWrite: 'payments:write',
  // Operators: the admin routes of the rate limiter and the PSP simulator, and rate-limit
  // checks or usage reads on behalf of any user.
  opsAdmin: 'ops:admin',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];
