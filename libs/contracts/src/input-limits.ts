// The bounds of what the services accept from clients, in one place so each service's
// validation and the gateway's OpenAPI document say the same thing. A value inside these
// bounds always fits its column: Postgres never has to refuse it.

// Postgres `integer` (int4): sequence numbers, counts, milliseconds.
export const PG_INT4_MAX = 2_147_483_647;

// Minor-unit amounts live in `bigint` columns, but a JSON number is exact only up to
// 2^53 - 1, so that is the ceiling wherever the domain sets no lower one.
export const MAX_SAFE_MINOR_UNITS = Number.MAX_SAFE_INTEGER;

// GET /events/{id}/seats: a page of an event's seats.
export const LIST_SEATS_LIMITS = {
  maxLimit: 1000,
  // Far beyond any venue; deeper pages are empty anyway.
  maxOffset: 1_000_000,
  maxSectionLength: 16,
} as const;

// POST /holds.
export const PLACE_HOLD_LIMITS = {
  maxSeats: 100,
  maxSeatIdLength: 64,
} as const;

// The auction service's requests.
export const AUCTION_LIMITS = {
  maxTitleLength: 200,
  maxBidIncrement: 1_000_000_000_000,
  // One day.
  maxExtensionWindowMs: 86_400_000,
  // Bids are numbered by an int4 `seq` column.
  maxAfterSeq: PG_INT4_MAX,
  maxBidPage: 1000,
  maxAuctionPage: 100,
} as const;

// A rate-limit domain name, as the policy file allows it (rateLimitDomainSchema).
export const RATE_LIMIT_DOMAIN_NAME = {
  pattern: /^[A-Za-z0-9_-]{1,32}$/,
  message: 'domain must be 1-32 of A-Z a-z 0-9 _ -',
} as const;
