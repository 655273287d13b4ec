import { Inject, Injectable } from '@nestjs/common';
import { TICKETING_EVENT_TYPES } from '@suite/contracts';
import type { Clock, TransactionRunner } from '@suite/coordination';
import type { TicketingConfig } from '../../config/ticketing.config';
import { emitEvent, outboxWriteOptions } from '../../checkout/infra/ticketing-events';
import { CLOCK, TICKETING_CONFIG, TRANSACTIONS } from '../../ticketing.tokens';
import { HoldsRepository } from '../infra/holds.repository';

// Redis lets a hold's seats go by itself when the lease's TTL runs out; this only notices
// it afterwards, to record the hold as expired and emit HoldExpired. A hold's expiresAt is
// measured before the lease was written, so it never falls after the lease's own expiry;
// the grace covers clock skew between service instances.
export const EXPIRY_GRACE_MS = 250;

@Injectable()
export class ExpireHoldsUseCase {
  constructor(
    @Inject(TICKETING_CONFIG) private readonly config: TicketingConfig,
    @Inject(TRANSACTIONS) private readonly tx: TransactionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly holds: HoldsRepository,
  ) {}

  // One bounded round: at most `limit` holds in one transaction.
  execute(limit = 100): Promise<number> {
    return this.tx.inTransaction(async (sql) => {
      const expired = await this.holds.expireDue(
        sql,
        new Date(this.clock.now() - EXPIRY_GRACE_MS),
        limit,
      );
      for (const hold of expired) {
        await emitEvent(
          sql,
          this.config.TICKETING_EVENTS_TOPIC,
          hold.id,
          {
            type: TICKETING_EVENT_TYPES.holdExpired,
            holdId: hold.id,
            eventId: hold.eventId,
            seatIds: hold.seatIds,
          },
          outboxWriteOptions(this.config),
        );
      }
      return expired.length;
    });
  }
}
