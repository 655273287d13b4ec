export { DEFAULT_PORTS, SERVICE_NAMES, isServiceName } from './services';
export type { ServiceName } from './services';
export { TOPICS, TOPIC_KINDS } from './topics';
export type { TopicKind, TopicName } from './topics';
export {
  CAPTURE_PAYMENT_LIMITS,
  PAYMENT_COMMAND_TYPES,
  PAYMENT_EVENT_TYPES,
  UNSUPPORTED_CURRENCY_MESSAGE,
  isSupportedCurrency,
} from './payments';
export type {
  CapturePaymentPayload,
  PaymentCommandType,
  PaymentEvent,
  PaymentEventType,
  RefundPaymentPayload,
} from './payments';
export { TICKETING_COMMAND_TYPES, TICKETING_EVENT_TYPES } from './ticketing';
export type {
  CheckoutCompensatedEvent,
  HoldExpiredEvent,
  HoldPlacedEvent,
  TicketIssuedEvent,
  TicketingCommandType,
  TicketingEvent,
  TicketingEventType,
} from './ticketing';
export {
  GATEWAY_HEADERS,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  IDEMPOTENCY_KEY_MIN_LENGTH,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_RULE,
  idempotencyKeyProblem,
} from './gateway';
export {
  DESCRIPTOR_KEY_PATTERN,
  DESCRIPTOR_PARAM_PATTERN,
  MAX_DESCRIPTOR_ENTRIES,
  MAX_DESCRIPTOR_VALUE_LENGTH,
  RATE_LIMIT_ALGORITHMS,
  RATE_LIMIT_DESCRIPTOR_JSON_SCHEMA,
  RATE_LIMIT_WILDCARD,
  REQUEST_DESCRIPTOR_KEYS,
  apiKeyDescriptorValue,
  descriptorKey,
  descriptorKeySchema,
  descriptorPolicySchema,
  descriptorValueSchema,
  limiterPolicyName,
  matchesDescriptor,
  parseRateLimitPolicyFile,
  rateLimitDescriptorSchema,
  rateLimitDomainSchema,
  rateLimitHeader,
  rateLimitPolicyFileSchema,
  rateLimitPolicyHeader,
  requestDescriptors,
  retryAfterSeconds,
  routeDescriptorValue,
  selectPolicy,
} from './rate-limits';
export type {
  DescriptorPolicy,
  PolicyFileParse,
  QuotaPolicyValue,
  QuotaStateValue,
  RateLimitDescriptor,
  RateLimitDomain,
  RateLimitPolicyFile,
  RequestRateLimitSubject,
} from './rate-limits';
export { AUCTION_EVENT_TYPES } from './auction';
export {
  AUCTION_LIMITS,
  LIST_SEATS_LIMITS,
  MAX_SAFE_MINOR_UNITS,
  PG_INT4_MAX,
  PLACE_HOLD_LIMITS,
  RATE_LIMIT_DOMAIN_NAME,
} from './input-limits';
export type { AuctionClosedEvent, AuctionEvent, AuctionEventType } from './auction';
export { SCOPES } from './scopes';
export type { Scope } from './scopes';
export type { CrawlVerdict, RateViolation } from './web-simulator';
