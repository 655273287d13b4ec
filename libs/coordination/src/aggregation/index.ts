// Public surface of the aggregation mechanisms; the library's entry point re-exports it.
export {
  createLimiter,
  limiterKeyBase,
  type CheckOptions,
  type CreateLimiterOptions,
  type DecisionSource,
  type Limiter,
  type PeekOptions,
  type RateLimitDecision,
  type RateLimitUsage,
} from './limiter';
export {
  createLimiterSet,
  type CreateLimiterSetOptions,
  type LimiterSet,
  type LimiterSetDecision,
  type LimiterSetMode,
  type PolicyCheck,
} from './limiter-set';
export { LocalSlidingLog, type LocalSlidingLogOptions } from './local-sliding-log';
export { compileDomainPolicies, type CompiledPolicy, type DomainCompile } from './policy-file';
export {
  InvalidRateLimitPolicyError,
  parseRateLimitPolicy,
  rateLimitPolicySchema,
  type RateLimitAlgorithm,
  type RateLimitPolicy,
} from './policy';
export {
  fixedWindowIndex,
  gcraDecide,
  gcraIntervalUs,
  slidingCounterDecide,
  slidingCounterScaledUsage,
  slidingLogDecide,
  type CounterState,
  type GcraRequest,
  type LogEntry,
  type WindowDecision,
  type WindowRequest,
} from './window-math';
