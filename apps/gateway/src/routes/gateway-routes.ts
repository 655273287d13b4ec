// The gateway's public API: every proxied route, the upstream that owns it and whether
// it moves money. Paths are the same on both sides, so a service's URLs (a checkout's
// status URL, a Location header) stay valid through the gateway.

export const UPSTREAMS = ['ticketing', 'payments'] as const;
export type UpstreamName = (typeof UPSTREAMS)[number];

export type RouteMethod = 'GET' | 'POST' | 'DELETE';

export interface GatewayRoute {
  // Names the route in rate-limit config and headers; stable, unlike the path.
  id: string;
  method: RouteMethod;
  // Nest/Fastify syntax; the same path is called on the upstream.
  path: string;
  upstream: UpstreamName;
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
    movesMoney: false,
    summary: 'List events',
  }),
  listSeats: route({
    id: 'events.seats',
    method: 'GET',
    path: '/events/:eventId/seats',
    upstream: 'ticketing',
    movesMoney: false,
    summary: "List an event's seats with their availability",
  }),
  placeHold: route({
    id: 'holds.place',
    method: 'POST',
    path: '/holds',
    upstream: 'ticketing',
    movesMoney: false,
    summary: 'Hold 1 to N seats for a limited time',
  }),
  getHold: route({
    id: 'holds.get',
    method: 'GET',
    path: '/holds/:holdId',
    upstream: 'ticketing',
    movesMoney: false,
    summary: 'Get a hold',
  }),
  releaseHold: route({
    id: 'holds.release',
    method: 'DELETE',
    path: '/holds/:holdId',
    upstream: 'ticketing',
    movesMoney: false,
    summary: 'Release a hold and free its seats',
  }),
  checkout: route({
    id: 'checkouts.create',
    method: 'POST',
    path: '/checkouts',
    upstream: 'ticketing',
    movesMoney: true,
    summary: 'Check out a hold: capture the payment and issue the tickets',
  }),
  getOrder: route({
    id: 'orders.get',
    method: 'GET',
    path: '/orders/:orderId',
    upstream: 'ticketing',
    movesMoney: false,
    summary: 'Get an order and its tickets',
  }),
  createPayment: route({
    id: 'payments.create',
    method: 'POST',
    path: '/payments',
    upstream: 'payments',
    movesMoney: true,
    summary: 'Capture a payment',
  }),
  refundPayment: route({
    id: 'payments.refund',
    method: 'POST',
    path: '/payments/:paymentId/refunds',
    upstream: 'payments',
    movesMoney: true,
    summary: 'Refund all or part of a captured payment',
  }),
  getPayment: route({
    id: 'payments.get',
    method: 'GET',
    path: '/payments/:paymentId',
    upstream: 'payments',
    movesMoney: false,
    summary: 'Get a payment',
  }),
} as const;

export const ROUTE_IDS: readonly string[] = Object.values(ROUTES).map((r) => r.id);

// The upstream path for a matched request: the route's template with the (decoded)
// params encoded again, so a param can never add a path segment upstream.
export function upstreamPath(
  gatewayRoute: GatewayRoute,
  params: Record<string, string>,
  rawUrl: string,
): string {
  const path = gatewayRoute.path.replace(/:([A-Za-z]+)/g, (_match, name: string) =>
    encodeURIComponent(params[name] ?? ''),
  );
  const queryAt = rawUrl.indexOf('?');
  return queryAt === -1 ? path : `${path}${rawUrl.slice(queryAt)}`;
}

export function pathParamNames(gatewayRoute: GatewayRoute): string[] {
  return [...gatewayRoute.path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1] ?? '');
}

// Metadata key under which a handler carries its GatewayRoute (see ProxyRoute).
export const GATEWAY_ROUTE = 'gateway:route';
