import { TICKETING_COMMAND_TYPES, TICKETING_EVENT_TYPES } from '@suite/contracts';
import {
  checkFence,
  systemClock,
  type Clock,
  type FencedHolds,
  type OutboxWriteOptions,
  type SagaCommandHandler,
  type SqlExecutor,
  type StepOutcome,
} from '@suite/coordination';
import type { SeatsRepository } from '../../events/infra/seats.repository';
import { checkoutEligibility, holdScope, seatFence } from '../../holds/domain/hold';
import type { HoldsRepository } from '../../holds/infra/holds.repository';
import type { SeatLeases } from '../../holds/infra/seat-leases';
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
  return {
    [TICKETING_COMMAND_TYPES.verifyHold]: guarded(async (tx, { payload }) => {
      const holdId = id(payload, 'holdId');
      const orderId = id(payload, 'orderId');
      const hold = await deps.holds.find(tx, holdId, true);
      if (!hold) return refuse('unknown hold');
      if (hold.status === 'checking-out' && hold.orderId === orderId) return done();
      const eligible = checkoutEligibility(hold, text(payload, 'userId'), clock.now());
      if (!eligible.ok) return refuse(eligible.message);
      // The Redis lease is the truth about who holds the seats now.
      const holders = await deps.leases.holders(hold.eventId, hold.seatIds);
      const lost = hold.seatIds.filter((seatId) => holders.get(seatId) !== holdId);
      if (lost.length > 0) return refuse(`the hold has expired (seats ${lost.join(', ')})`);
      if (!(await deps.holds.move(tx, holdId, ['active'], 'checking-out', orderId))) {
        return refuse('the hold changed during verification');
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
      return withSavepoint(tx, 'confirm_seats', async () => {
        // A resent attempt of a confirmation that already took effect answers as the first
        // did, whatever happened to the fences since (the hold may have expired and the seats
        // been held again). Refusing now would tell the saga the step changed nothing, and
        // the seats it sold would never be unsold. Only a confirmation sets `purchased`, in
        // the transaction that sells the seats, so it says an earlier attempt sold them.
        const confirmed = await deps.holds.find(tx, holdId, false);
        if (confirmed?.orderId === orderId && confirmed.status === 'purchased') return done();
        // Fences first, in one order for every writer; each fence row stays locked until
        // commit, so no other confirmation of these seats interleaves with ours.
        for (const seatId of Object.keys(tokens).sort()) {
          const token = tokens[seatId] as number;
          const fence = await checkFence(tx, seatFence(eventId, seatId), token);
          if (!fence.ok) {
            return refuse(
              `stale hold: seat ${seatId} was held after it (token ${token} < ${fence.currentToken})`,
            );
          }
        }
        // Only the order that verified the hold may sell its seats: a confirmation that
        // arrives after its checkout was compensated (the hold released) sells nothing.
        const hold = await deps.holds.find(tx, holdId, true);
        const buying =
          hold?.orderId === orderId &&
          (hold.status === 'checking-out' || hold.status === 'purchased');
        if (!buying) {
          return refuse(
            `hold ${holdId} is not being checked out by order ${orderId} (${hold?.status ?? 'unknown'})`,
          );
        }
        const unsold = await deps.seats.markSold(tx, { eventId, orderId, userId, tokens });
        if (unsold.length > 0) return refuse(`seats already sold: ${unsold.join(', ')}`);
        await deps.holds.move(tx, holdId, ['checking-out'], 'purchased');
        return done();
      });
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
      return withSavepoint(tx, 'issue_tickets', () => issueTickets(tx, deps, orderId, userId));
    }),
  };
}

// Every seat sold to the order ends with a ticket of the order, or the step fails and the
// saga compensates (unconfirm, refund, release): a ticket that already exists for one of the
// seats under another order would otherwise leave this order paid for with a seat short.
async function issueTickets(
  tx: SqlExecutor,
  deps: TicketingStepDeps,
  orderId: string,
  userId: string,
): Promise<StepOutcome> {
  const { issued, sold, ticketedElsewhere } = await deps.seats.issueTickets(tx, orderId);
  if (sold === 0) return refuse(`no seats are sold to order ${orderId}`);
  if (ticketedElsewhere.length > 0) {
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

// A refused step must leave nothing behind (no advanced fence, no half-sold seats), yet
// the inbox row and the reply of the same transaction must commit.
async function withSavepoint(
  tx: SqlExecutor,
  name: string,
  work: () => Promise<StepOutcome>,
): Promise<StepOutcome> {
  await tx.query(`savepoint ${name}`);
  const outcome = await work();
  await tx.query(
    outcome.outcome === 'succeeded' ? `release savepoint ${name}` : `rollback to savepoint ${name}`,
  );
  return outcome;
}
