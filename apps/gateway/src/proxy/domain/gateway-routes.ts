import { routeDescriptorValue } from '@suite/contracts';

// The gateway's public API: every proxied route, the upstream that owns it, whether it
// needs a token and whether it moves money. Paths are the same on both sides (a service's
// URLs, a checkout's status URL or a Location header, stay valid through the gateway),
// except the rate limiter's, which the gateway publishes under /rate-limits.

export const UPSTREAMS = [
  'ticketing',
  'payments',
  'auction',
  'rate-limiter',
  'scheduler',
  'crawler',
] as const;
export type UpstreamName = (typeof UPSTREAMS)[number];

export type RouteMethod = 'GET' | 'POST' | 'DELETE';

export interface GatewayRoute {
  // Names the route in rate-limit config and headers; stable, unlike the path.
  id: string;
  method: RouteMethod;
  // Nest/Fastify syntax; the same path is called on the upstream.
  path: string;
  // The path called on the upstream, when it differs from `path` (same params).
  upstreamPath?: string;
  upstream: UpstreamName;
  // 'required': no request without a valid bearer token. 'optional': the owning service
  // serves it to anyone; a token, if sent, is still verified and identifies the caller.
  auth: 'required' | 'optional';
  // Money moves: an Idempotency-Key is required and forwarded unchanged.
  movesMoney: boolean;
  summary: string;
}

const route = (r: GatewayRoute): GatewayRoute => r;

export const ROUTES = {
  listEvents: route({
    id: 'events.list',
    method: 'GET',
    path: '/events',
    upstream: 'ticketing',
    auth: 'required',
    movesMoney: false,
    summary: 'List events',
  }),
  listSeats: route({
    id: 'events.seats',
    method: 'GET',
    path: '/events/:eventId/seats',
    upstream: 'ticketing',
    auth: 'required',
    movesMoney: false,
    summary: "List an event's seats with their availability",
  }),
  placeHold: route({
    id: 'holds.place',
    method: 'POST',
    path: '/holds',
    upstream: 'ticketing',
    auth: 'required',
    movesMoney: false,
    summary: 'Hold 1 to N seats for a limited time',
  }),
  getHold: route({
    id: 'holds.get',
    method: 'GET',
    path: '/holds/:holdId',
    upstream: 'ticketing',
    auth: 'required',
    movesMoney: false,
    summary: 'Get a hold',
  }),
  releaseHold: route({
    id: 'holds.release',
    method: 'DELETE',
    path: '/holds/:holdId',
    upstream: 'ticketing',
    auth: 'required',
    movesMoney: false,
    summary: 'Release a hold and free its seats',
  }),
  checkout: route({
    id: 'checkouts.create',
    method: 'POST',
    path: '/checkouts',
    upstream: 'ticketing',
    auth: 'required',
    movesMoney: true,
    summary: 'Check out a hold: capture the payment and issue the tickets',
  }),
  getOrder: route({
    id: 'orders.get',
    method: 'GET',
    path: '/orders/:orderId',
    upstream: 'ticketing',
    auth: 'required',
    movesMoney: false,
    summary: 'Get an order and its tickets',
  }),
  createPayment: route({
    id: 'payments.create',
    method: 'POST',
    path: '/payments',
    upstream: 'payments',
    auth: 'required',
    movesMoney: true,
    summary: 'Capture a payment',
  }),
  refundPayment: route({
    id: 'payments.refund',
    method: 'POST',
    path: '/payments/:paymentId/refunds',
    upstream: 'payments',
    auth: 'required',
    movesMoney: true,
    summary: 'Refund all or part of a captured payment',
  }),
  getPayment: route({
    id: 'payments.get',
    method: 'GET',
    path: '/payments/:paymentId',
    upstream: 'payments',
    auth: 'required',
    movesMoney: false,
    summary: 'Get a payment',
  }),
  // The auction service serves its reads to anyone, so the gateway does too.
  createAuction: route({
    id: 'auctions.create',
    method: 'POST',
    path: '/auctions',
    upstream: 'auction',
    auth: 'required',
    movesMoney: false,
    summary: 'Create an auction; the caller is its seller',
  }),
  listAuctions: route({
    id: 'auctions.list',
    method: 'GET',
    path: '/auctions',
    upstream: 'auction',
    auth: 'optional',
    movesMoney: false,
    summary: 'List auctions, newest first, each with its high bid',
  }),
  getAuction: route({
    id: 'auctions.get',
    method: 'GET',
    path: '/auctions/:auctionId',
    upstream: 'auction',
    auth: 'optional',
    movesMoney: false,
    summary: 'Get an auction: phase, high bid, minimum next bid, winner',
  }),
  placeBid: route({
    id: 'auctions.bid',
    method: 'POST',
    path: '/auctions/:auctionId/bids',
    upstream: 'auction',
    auth: 'required',
    movesMoney: false,
    summary: 'Bid: accepted, or rejected with the reason and the minimum bid',
  }),
  listBids: route({
    id: 'auctions.bids',
    method: 'GET',
    path: '/auctions/:auctionId/bids',
    upstream: 'auction',
    auth: 'optional',
    movesMoney: false,
    summary: "An auction's accepted bids in acceptance order",
  }),
  // The rate limiter's decision and usage APIs; its admin routes are not published.
  checkRateLimit: route({
    id: 'rate-limits.check',
    method: 'POST',
    path: '/rate-limits/check',
    upstreamPath: '/check',
    upstream: 'rate-limiter',
    auth: 'required',
    movesMoney: false,
    summary: 'Ask the rate limiter whether a request with these descriptors may pass',
  }),
  rateLimitUsage: route({
    id: 'rate-limits.usage',
    method: 'GET',
    path: '/rate-limits/usage',
    upstreamPath: '/usage',
    upstream: 'rate-limiter',
    auth: 'required',
    movesMoney: false,
    summary: 'What is spent of each policy matching these descriptors, without spending',
  }),
  // The scheduler's job API. It has no owners: any caller with a token may read or cancel
  // any job, as the service itself allows. Its loopback delivery sink is not published.
  createJob: route({
    id: 'jobs.create',
    method: 'POST',
    path: '/jobs',
    upstream: 'scheduler',
    auth: 'required',
    movesMoney: false,
    summary: 'Schedule a one-off (runAt) or cron job that delivers its payload to a target',
  }),
  getJob: route({
    id: 'jobs.get',
    method: 'GET',
    path: '/jobs/:jobId',
    upstream: 'scheduler',
    auth: 'required',
    movesMoney: false,
    summary: 'Get a job: status and next fire time',
  }),
  listFires: route({
    id: 'jobs.fires',
    method: 'GET',
    path: '/jobs/:jobId/fires',
    upstream: 'scheduler',
    auth: 'required',
    movesMoney: false,
    summary: "A job's fires, newest first: idempotency key, delivery status, attempts",
  }),
  cancelJob: route({
    id: 'jobs.cancel',
    method: 'POST',
    path: '/jobs/:jobId/cancel',
    upstream: 'scheduler',
    auth: 'required',
    movesMoney: false,
    summary: 'Cancel a job: no more fires',
  }),
  // The crawler's API, for operators (the service requires the ops:admin scope). The web
  // simulator it crawls is a loopback test fixture and is not published.
  startCrawl: route({
    id: 'crawls.start',
    method: 'POST',
    path: '/crawls',
    upstream: 'crawler',
    auth: 'required',
    movesMoney: false,
    summary: 'Start a crawl of the loopback web from its seeds, polite to every host',
  }),
  getCrawl: route({
    id: 'crawls.get',
    method: 'GET',
    path: '/crawls/:crawlId',
    upstream: 'crawler',
    auth: 'required',
    movesMoney: false,
    summary: "Get a crawl's progress: status, URLs by state and outcome, fetches per second",
  }),
} as const;

// The upstream path for a matched request: the route's template with the (decoded)
// params encoded again, so a param can never add a path segment upstream.
export function upstreamPath(
  gatewayRoute: GatewayRoute,
  params: Record<string, string>,
  rawUrl: string,
): string {
  const template = gatewayRoute.upstreamPath ?? gatewayRoute.path;
  const path = template.replace(/:([A-Za-z]+)/g, (_match, name: string) =>
    encodeURIComponent(params[name] ?? ''),
  );
  const queryAt = rawUrl.indexOf('?');
  return queryAt === -1 ? path : `${path}${rawUrl.slice(queryAt)}`;
}

// The route's value in rate-limit descriptors and policy files: "POST /holds".
export function routeDescriptor(gatewayRoute: GatewayRoute): string {
  return routeDescriptorValue(gatewayRoute.method, gatewayRoute.path);
}

export function pathParamNames(gatewayRoute: GatewayRoute): string[] {
  return [...gatewayRoute.path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1] ?? '');
}

// Metadata key under which a handler carries its GatewayRoute (see ProxyRoute).
export const GATEWAY_ROUTE = 'gateway:route';
