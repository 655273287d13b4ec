import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { TICKETING_EVENT_TYPES } from '@suite/contracts';
import {
  checkFence,
  type Clock,
  type FencedHolds,
  type SqlExecutor,
  type TransactionRunner,
} from '@suite/coordination';
import type { TicketingConfig } from '../../config/ticketing.config';
import { emitEvent, outboxWriteOptions } from '../../checkout/infra/ticketing-events';
import {
  AUTOCOMMIT,
  CLOCK,
  FENCED_HOLDS,
  TICKETING_CONFIG,
  TRANSACTIONS,
} from '../../ticketing.tokens';
import { holdScope, seatFence, type Hold } from '../domain/hold';
import { toHoldView, type HoldView } from '../domain/hold.view';
import { HoldAdmission } from '../infra/hold-admission';
import { HoldsRepository } from '../infra/holds.repository';
import { SeatCatalogue } from '../infra/seat-catalogue';
import { SeatLeases } from '../infra/seat-leases';

export interface PlaceHoldCommand {
  eventId: string;
  seatIds: string[];
  userId: string;
}

export type PlaceHoldResult =
  | { kind: 'placed'; hold: HoldView }
  | { kind: 'event-not-found'; eventId: string }
  | { kind: 'too-many-seats'; max: number }
  | { kind: 'duplicate-seats' }
  | { kind: 'unknown-seats'; eventId: string; seatIds: string[] }
  | { kind: 'seats-taken'; seatIds: string[] }
  | { kind: 'held-seat-cap'; max: number; held: number; wanted: number }
  | { kind: 'busy'; retryAfterMs: number };

type Refusal = Extract<PlaceHoldResult, { kind: 'seats-taken' | 'held-seat-cap' }>;

// Thrown inside the recording transaction so that it rolls back (fences included); caught
// around it and returned as the answer. Only refusals found in Postgres take this way.
class HoldRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.kind);
  }
}

// Takes 1..N seats of one event all or nothing: a Redis lease per seat with a fresh
// fencing token each, then, in one Postgres transaction, the fences advanced to those
// tokens (so any older holder of these seats is refused from now on), the hold row and
// the HoldPlaced event. A user holds at most MAX_HELD_SEATS_PER_USER_PER_EVENT seats of an
// event at once; the transaction that records a hold decides it under a per-(user, event)
// lock, so parallel holds of one user cannot both pass. HOLD_MECHANISM=naive swaps the
// Redis lease for row locks in Postgres (placeNaive), for the benchmark's like-for-like run.
@Injectable()
export class PlaceHoldUseCase {
  constructor(
    @Inject(TICKETING_CONFIG) private readonly config: TicketingConfig,
    @Inject(FENCED_HOLDS) private readonly fencedHolds: FencedHolds,
    @Inject(TRANSACTIONS) private readonly tx: TransactionRunner,
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly holds: HoldsRepository,
    private readonly leases: SeatLeases,
    private readonly admission: HoldAdmission,
  ) {}

  private readonly catalogue = new SeatCatalogue();

  async execute(command: PlaceHoldCommand): Promise<PlaceHoldResult> {
    const { eventId, seatIds } = command;
    if (seatIds.length > this.config.MAX_SEATS_PER_HOLD) {
      return { kind: 'too-many-seats', max: this.config.MAX_SEATS_PER_HOLD };
    }
    if (new Set(seatIds).size !== seatIds.length) return { kind: 'duplicate-seats' };
    // From memory after the event's first hold: a buyer who loses the seat to someone else
    // costs Postgres nothing, not even a read.
    const known = await this.catalogue.seatsOf(this.sql, eventId);
    if (known === undefined) return { kind: 'event-not-found', eventId };
    const unknown = seatIds.filter((id) => !known.has(id));
    if (unknown.length > 0) return { kind: 'unknown-seats', eventId, seatIds: unknown };
    // Sold seats and the user's held-seat cap are decided in the transaction that records
    // the hold, under its locks; a hold refused there gives its leases back at once.
    return this.config.HOLD_MECHANISM === 'naive'
      ? this.placeNaive(command)
      : this.placeFenced(command);
  }

  private async placeFenced(command: PlaceHoldCommand): Promise<PlaceHoldResult> {
    const { eventId, seatIds, userId } = command;
    const holdId = randomUUID();
    const scope = holdScope(eventId);
    const acquired = await this.fencedHolds.acquire({
      scope,
      resources: seatIds,
      owner: holdId,
      ttlMs: this.config.HOLD_TTL_MS,
    });
    if (!acquired.ok) {
      // One seat: the script already named it, and a loser of a contended seat (the flash
      // sale's common case) is refused after one Redis round trip.
      if (seatIds.length === 1) return { kind: 'seats-taken', seatIds: [acquired.resource] };
      // Name every seat someone else holds, not only the first the script met.
      const holders = await this.leases.holders(eventId, seatIds);
      const taken = seatIds.filter((id) => holders.has(id));
      return { kind: 'seats-taken', seatIds: taken.length > 0 ? taken : [acquired.resource] };
    }
    const hold: Hold = {
      id: holdId,
      eventId,
      userId,
      seatIds,
      tokens: { ...acquired.hold.tokens },
      expiresAt: acquired.hold.expiresAt,
      status: 'active',
      orderId: null,
    };
    // Only a winner of the leases reaches Postgres, and only as many at once as admitted;
    // one turned away gives its leases back, as a refused hold does.
    const admission = await this.admission.admit();
    if (!admission.admitted) {
      await this.releaseQuietly(hold);
      return { kind: 'busy', retryAfterMs: admission.retryAfterMs };
    }
    try {
      return await this.tx.inTransaction((sql) => this.record(sql, hold));
    } catch (error) {
      await this.releaseQuietly(hold);
      if (error instanceof HoldRefused) return error.refusal;
      throw error;
    } finally {
      admission.done();
    }
  }

  // The benchmark's baseline, same request, validation and answers: one Postgres
  // transaction that takes the per-(user, event) lock, locks the seat rows (SELECT ... FOR
  // UPDATE), looks for a live hold on any of them, then writes the hold (the cap checked by
  // the same insert as the fenced hold's) and its event. Every
  // buyer of a contended seat queues on its row lock and opens a write transaction, winner
  // or not. No Redis lease and no fence: its holds carry no tokens.
  private async placeNaive(command: PlaceHoldCommand): Promise<PlaceHoldResult> {
    const { eventId, seatIds, userId } = command;
    const hold: Hold = {
      id: randomUUID(),
      eventId,
      userId,
      seatIds,
      tokens: {},
      expiresAt: this.clock.now() + this.config.HOLD_TTL_MS,
      status: 'active',
      orderId: null,
    };
    const admission = await this.admission.admit();
    if (!admission.admitted) return { kind: 'busy', retryAfterMs: admission.retryAfterMs };
    return this.tx
      .inTransaction(async (sql): Promise<PlaceHoldResult> => {
        await this.holds.lockUserEvent(sql, userId, eventId);
        const statuses = await this.holds.lockSeatRows(sql, eventId, seatIds);
        const sold = seatIds.filter((id) => statuses.get(id) === 'sold');
        if (sold.length > 0) return { kind: 'seats-taken', seatIds: sold };
        const held = await this.holds.seatsInLiveHolds(
          sql,
          eventId,
          seatIds,
          new Date(this.clock.now()),
        );
        if (held.length > 0) return { kind: 'seats-taken', seatIds: held };
        return this.insertHold(sql, hold);
      })
      .catch((error: unknown) => {
        if (error instanceof HoldRefused) return error.refusal;
        throw error;
      })
      .finally(admission.done);
  }

  private async record(sql: SqlExecutor, hold: Hold): Promise<PlaceHoldResult> {
    // First in the transaction, before any fence row is locked: only holds of this user in
    // this event wait here, and they take nothing else before it.
    await this.holds.lockUserEvent(sql, hold.userId, hold.eventId);
    for (const seatId of [...hold.seatIds].sort()) {
      const fence = await checkFence(
        sql,
        seatFence(hold.eventId, seatId),
        hold.tokens[seatId] ?? 0,
      );
      if (!fence.ok) throw new Error(`fence of ${seatId} is ahead of a fresh token`);
    }
    // The insert checks the seats after the fences: a confirmation of these seats by an
    // older holder has either committed (and shows there as sold) or will be refused by the
    // fence. It counts the user's held seats after the per-(user, event) lock.
    return this.insertHold(sql, hold);
  }

  // The hold row, unless a seat is sold or the user's cap would be passed (one statement),
  // then its HoldPlaced event. A refusal throws HoldRefused, so the transaction rolls back.
  private async insertHold(sql: SqlExecutor, hold: Hold): Promise<PlaceHoldResult> {
    const max = this.config.MAX_HELD_SEATS_PER_USER_PER_EVENT;
    const wanted = hold.seatIds.length;
    const found = await this.holds.insertUnlessRefused(sql, hold, max, new Date(this.clock.now()));
    if (!found.inserted) {
      // The cap is named before sold seats: the user can act on it.
      throw new HoldRefused(
        found.heldSeats + wanted > max
          ? { kind: 'held-seat-cap', max, held: found.heldSeats, wanted }
          : { kind: 'seats-taken', seatIds: found.soldSeats },
      );
    }
    await emitEvent(
      sql,
      this.config.TICKETING_EVENTS_TOPIC,
      hold.id,
      {
        type: TICKETING_EVENT_TYPES.holdPlaced,
        holdId: hold.id,
        eventId: hold.eventId,
        userId: hold.userId,
        seatIds: hold.seatIds,
        expiresAt: new Date(hold.expiresAt).toISOString(),
      },
      outboxWriteOptions(this.config),
    );
    return { kind: 'placed', hold: toHoldView(hold, this.clock.now()) };
  }

  private async releaseQuietly(hold: Hold): Promise<void> {
    await this.fencedHolds
      .release({ scope: holdScope(hold.eventId), resources: hold.seatIds, owner: hold.id })
      .catch(() => undefined);
  }
}
