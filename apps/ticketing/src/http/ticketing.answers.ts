import type { AnswersTo, HttpAnswer } from '@suite/service-kit';
import type { StartCheckoutResult } from '../checkout/start-checkout/start-checkout.use-case';
import type { ListSeatsResult } from '../events/list-seats/list-seats.use-case';
import type { GetHoldResult } from '../holds/get-hold/get-hold.use-case';
import type { PlaceHoldResult } from '../holds/place-hold/place-hold.use-case';
import type { ReleaseHoldResult } from '../holds/release-hold/release-hold.use-case';
import type { GetOrderResult } from '../orders/get-order/get-order.use-case';

const REASONS = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
} as const;

// The error shape every service answers ({ statusCode, error, message }), plus the details
// a client needs, such as which seats were taken.
const refusal = (
  status: keyof typeof REASONS,
  message: string,
  details: Record<string, unknown> = {},
): HttpAnswer => ({
  status,
  body: { statusCode: status, error: REASONS[status], message, ...details },
});

// Another user's hold or order answers as a missing one: a 403 would confirm that the id
// exists.
const noHold = ({ holdId }: { holdId: string }) => refusal(404, `hold ${holdId} does not exist`);
const noOrder = ({ orderId }: { orderId: string }) =>
  refusal(404, `order ${orderId} does not exist`);
const noEvent = ({ eventId }: { eventId: string }) =>
  refusal(404, `event ${eventId} does not exist`);

// Every outcome of every use case that has more than one, and the HTTP answer it gets.
// Controllers look their answers up here; they decide nothing themselves.
export const HTTP_ANSWERS: {
  readonly placeHold: AnswersTo<PlaceHoldResult>;
  readonly getHold: AnswersTo<GetHoldResult>;
  readonly releaseHold: AnswersTo<ReleaseHoldResult>;
  readonly listSeats: AnswersTo<ListSeatsResult>;
  readonly getOrder: AnswersTo<GetOrderResult>;
  readonly startCheckout: AnswersTo<StartCheckoutResult>;
} = {
  placeHold: {
    placed: ({ hold }) => ({ status: 201, body: hold }),
    'event-not-found': noEvent,
    'unknown-seats': ({ eventId, seatIds }) =>
      refusal(404, `event ${eventId} has no seats ${seatIds.join(', ')}`, { seatIds }),
    'too-many-seats': ({ max }) => refusal(422, `a hold takes at most ${max} seats`),
    'duplicate-seats': () => refusal(400, 'seatIds must not repeat a seat'),
    'seats-taken': ({ seatIds }) =>
      refusal(409, `seats already taken: ${seatIds.join(', ')}`, { seatIds }),
    'held-seat-cap': ({ max, held, wanted }) =>
      refusal(
        409,
        `one user may hold at most ${max} seats of an event at once: you hold ${held}, ` +
          `this hold asks for ${wanted} more; check out or release a hold first`,
      ),
    // Not a 503: the hold path is busy, ticketing is not unwell (the gateway's breaker counts
    // 503s against the whole service, checkouts included). The code tells this 429 from the
    // gateway's own ("rate-limited"), which the client waits for differently.
    busy: ({ retryAfterMs }) => {
      const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
      return {
        ...refusal(429, `too many holds are being placed right now; try again in ${seconds} s`, {
          code: 'hold-admission-full',
        }),
        headers: { 'retry-after': String(seconds) },
      };
    },
  },
  getHold: {
    found: ({ hold }) => ({ status: 200, body: hold }),
    'not-found': noHold,
    'not-owner': noHold,
  },
  releaseHold: {
    released: () => ({ status: 204 }),
    'not-found': noHold,
    'not-owner': noHold,
    'not-releasable': ({ status }) =>
      refusal(409, `the hold is ${status} and can no longer be released`),
  },
  listSeats: {
    found: ({ eventId, total, seats }) => ({ status: 200, body: { eventId, total, seats } }),
    'event-not-found': noEvent,
  },
  getOrder: {
    found: ({ order }) => ({ status: 200, body: order }),
    'not-found': noOrder,
    'not-owner': noOrder,
  },
  startCheckout: {
    // The checkout's own answer, first given or replayed under its Idempotency-Key.
    respond: ({ response }) => ({
      status: response.status,
      body: response.body,
      ...(response.location ? { headers: { location: response.location } } : {}),
    }),
    'payload-mismatch': () =>
      refusal(422, 'this Idempotency-Key was used with a different request body'),
    'in-progress': ({ retryAfterMs }) => ({
      ...refusal(409, 'a request with this Idempotency-Key is still in progress'),
      headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
    }),
    'invalid-key': ({ reason }) => refusal(400, `invalid Idempotency-Key: ${reason}`),
  },
};
