import { TICKETING_COMMAND_TYPES, TICKETING_EVENT_TYPES } from '@suite/contracts';
import {
  systemClock,
  type Clock,
  type FencedHolds,
  type OutboxWriteOptions,
  type SagaCommandHandler,
  type SqlExecutor,
  type StepOutcome,
} from '@suite/coordination';
import type { SeatsRepository } from '../../events/infra/seats.repository';
import { checkoutEligibility, holdScope } from '../../holds/domain/hold';
import type { HoldsRepository } from '../../holds/infra/holds.repository';
import type { SeatLeases } from '../../holds/infra/seat-leases';
import { CheckoutRepository } from '../infra/checkout.repository';
import { emitEvent } from '../infra/ticketing-events';

export interface TicketingStepDeps {
  holds: HoldsRepository;
  seats: SeatsRepository;
  fencedHolds: Pick<FencedHolds, 'release'>;
  leases: Pick<SeatLeases, 'holders'>;
  eventsTopic: string;
  // How events are written (wakeup); the step's reply is written by the participant.
  outbox?: OutboxWriteOptions;
  clock?: Clock;
  // The checkout's own statements (one per step where it can be).
  steps?: CheckoutRepository;
}

const refuse = (reason: string): StepOutcome => ({ outcome: 'failed', retriable: false, reason });
const done = (data?: Record<string, unknown>): StepOutcome => ({
  outcome: 'succeeded',
  ...(data ? { data } : {}),
});

class BadPayload extends Error {}

function text(payload: Record<string, unknown>, field: string): string {
  const value = payload[field];
  if (typeof value !== 'string' || value.length === 0) throw new BadPayload(`${field} is missing`);
  return value;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Ids are uuid columns: a malformed one must be refused here, since Postgres would throw
// and Kafka would redeliver the command forever.
function id(payload: Record<string, unknown>, field: string): string {
  const value = text(payload, field);
  if (!UUID_PATTERN.test(value)) throw new BadPayload(`${field} is not a UUID`);
  return value;
}

function tokensOf(payload: Record<string, unknown>): Record<string, number> {
  const value = payload['tokens'];
  if (typeof value !== 'object' || value === null) throw new BadPayload('tokens is missing');
  const tokens: Record<string, number> = {};
  for (const [seatId, token] of Object.entries(value)) {
    // checkFence throws on anything but a positive safe integer.
    if (!Number.isSafeInteger(token) || (token as number) <= 0) {
      throw new BadPayload(`token of ${seatId} is not a positive integer`);
    }
    tokens[seatId] = token as number;
  }
  if (Object.keys(tokens).length === 0) throw new BadPayload('tokens is empty');
  return tokens;
}

// A payload that can never be processed is a failed step, not an exception that Kafka
// would redeliver forever.
function guarded(handler: SagaCommandHandler): SagaCommandHandler {
  return async (tx, command) => {
    try {
      return await handler(tx, command);
    } catch (error) {
      if (error instanceof BadPayload) return refuse(`malformed ${command.type}: ${error.message}`);
      throw error;
    }
  };
}

// Steps 1, 3 and 4 of the checkout saga and their compensations. Each runs in the
// participant's inbox transaction, and each is idempotent across attempts: a retried
// attempt finds its own earlier effect and succeeds again. A compensation is also safe when
// its action never ran (the saga compensates a step whose outcome is unknown): it undoes
// only what belongs to its own order.
// Only a broken database or Redis throws (Kafka then redelivers); a command that can never
// succeed is a failed, non-retriable reply.
export function ticketingStepHandlers(deps: TicketingStepDeps): Record<string, SagaCommandHandler> {
  const clock = deps.clock ?? systemClock;
  const steps = deps.steps ?? new CheckoutRepository();
  return {
    // One statement in the common case: the hold is locked, checked and moved at once, and
    // the Redis leases are read after it; only a hold whose leases are gone is moved back.
    [TICKETING_COMMAND_TYPES.verifyHold]: guarded(async (tx, { payload }) => {
      const holdId = id(payload, 'holdId');
      const orderId = id(payload, 'orderId');
      const userId = text(payload, 'userId');
      const now = clock.now();
      const verified = await steps.verify(tx, holdId, orderId, userId, new Date(now));
      if (!verified) return refuse('unknown hold');
      const { hold, moved } = verified;
      if (!moved) {
        if (hold.status === 'checking-out' && hold.orderId === orderId) return done();
        const eligible = checkoutEligibility(hold, userId, now);
        return refuse(eligible.ok ? 'the hold changed during verification' : eligible.message);
      }
      // The Redis lease is the truth about who holds the seats now.
      const holders = await deps.leases.holders(hold.eventId, hold.seatIds);
      const lost = hold.seatIds.filter((seatId) => holders.get(seatId) !== holdId);
      if (lost.length > 0) {
        await steps.unverify(tx, holdId, orderId);
        return refuse(`the hold has expired (seats ${lost.join(', ')})`);
      }
      return done();
    }),

    [TICKETING_COMMAND_TYPES.releaseHold]: guarded(async (tx, { payload }) => {
      const holdId = id(payload, 'holdId');
      const orderId = id(payload, 'orderId');
      const hold = await deps.holds.find(tx, holdId, true);
      if (!hold) return done();
      // A hold another order is checking out is not ours to release. An active hold with no
      // order is: verification never ran, and this order was the hold's one checkout.
      const ours = hold.orderId === null || hold.orderId === orderId;
      if (ours && hold.status !== 'released' && hold.status !== 'expired') {
        // Not-owner or expired in Redis both mean the seats are no longer ours: nothing to do.
        await deps.fencedHolds.release({
          scope: holdScope(hold.eventId),
          resources: hold.seatIds,
          owner: hold.id,
        });
        await deps.holds.move(tx, holdId, ['active', 'checking-out', 'purchased'], 'released');
      }
      // Once per order, however many attempts this compensation takes.
      await emitEvent(
        tx,
        deps.eventsTopic,
        orderId,
        {
          type: TICKETING_EVENT_TYPES.checkoutCompensated,
          orderId,
          holdId,
          eventId: hold.eventId,
        },
        deps.outbox,
      );
      return done();
    }),

    [TICKETING_COMMAND_TYPES.confirmSeats]: guarded(async (tx, { payload }) => {
      const orderId = id(payload, 'orderId');
      const holdId = id(payload, 'holdId');
      const eventId = id(payload, 'eventId');
      const userId = text(payload, 'userId');
      const tokens = tokensOf(payload);
      // ticketing_confirm_seats (ADR 21), in one round trip: a resent attempt of a
      // confirmation that already took effect succeeds again whatever happened to the fences
      // since (refusing it would leave the seats it sold sold); otherwise every seat's fence
      // is checked in seat order and stays locked until commit, only the order that verified
      // the hold sells its seats, a seat is sold only from available, and a refusal leaves
      // no fence advanced and no seat sold.
      const refusal = await steps.confirmSeats(tx, { orderId, holdId, eventId, userId, tokens });
      return refusal === undefined ? done() : refuse(refusal);
    }),

    // Touches only the seats and tickets of its own order: 0 seats when confirmation never
    // ran or an earlier attempt already undid it.
    [TICKETING_COMMAND_TYPES.unconfirmSeats]: guarded(async (tx, { payload }) => {
      const unsold = await deps.seats.unsell(tx, id(payload, 'orderId'));
      return done({ seatsUnsold: unsold });
    }),

    [TICKETING_COMMAND_TYPES.issueTickets]: guarded(async (tx, { payload }) => {
      const orderId = id(payload, 'orderId');
      const userId = text(payload, 'userId');
      return issueTickets(tx, deps, steps, orderId, userId);
    }),
  };
}

// Every seat sold to the order ends with a ticket of the order, or the step fails and the
// saga compensates (unconfirm, refund, release): a ticket that already exists for one of the
// seats under another order would otherwise leave this order paid for with a seat short.
// A refused attempt withdraws the tickets it inserted, so the step leaves nothing behind
// while its inbox row and reply commit.
async function issueTickets(
  tx: SqlExecutor,
  deps: TicketingStepDeps,
  steps: CheckoutRepository,
  orderId: string,
  userId: string,
): Promise<StepOutcome> {
  const { issued, sold, ticketedElsewhere } = await deps.seats.issueTickets(tx, orderId);
  if (sold === 0) return refuse(`no seats are sold to order ${orderId}`);
  if (ticketedElsewhere.length > 0) {
    await steps.withdrawTickets(
      tx,
      issued.map((ticket) => ticket.id),
    );
    return refuse(`seats already ticketed for another order: ${ticketedElsewhere.join(', ')}`);
  }
  for (const ticket of issued) {
    await emitEvent(
      tx,
      deps.eventsTopic,
      orderId,
      {
        type: TICKETING_EVENT_TYPES.ticketIssued,
        ticketId: ticket.id,
        orderId,
        eventId: ticket.event_id,
        seatId: ticket.seat_id,
        userId,
      },
      deps.outbox,
    );
  }
  // The order's ticket count, the same on every attempt.
  return done({ ticketsIssued: sold });
}
