import { Inject, Injectable } from '@nestjs/common';
import type { FencedHolds, TransactionRunner } from '@suite/coordination';
import { FENCED_HOLDS, TRANSACTIONS } from '../../ticketing.tokens';
import { holdScope } from '../domain/hold';
import { HoldsRepository } from '../infra/holds.repository';

export type ReleaseHoldResult =
  | { kind: 'released' }
  | { kind: 'not-found'; holdId: string }
  | { kind: 'not-owner'; holdId: string }
  | { kind: 'not-releasable'; status: string };

// The owner gives the seats back before the TTL would. Releasing a hold that already
// ended (released, expired) succeeds again; one in checkout or bought cannot be released.
@Injectable()
export class ReleaseHoldUseCase {
  constructor(
    @Inject(TRANSACTIONS) private readonly tx: TransactionRunner,
    @Inject(FENCED_HOLDS) private readonly fencedHolds: FencedHolds,
    private readonly holds: HoldsRepository,
  ) {}

  execute(holdId: string, userId: string): Promise<ReleaseHoldResult> {
    return this.tx.inTransaction(async (sql) => {
      const hold = await this.holds.find(sql, holdId, true);
      if (!hold) return { kind: 'not-found', holdId };
      if (hold.userId !== userId) return { kind: 'not-owner', holdId };
      if (hold.status === 'released' || hold.status === 'expired') return { kind: 'released' };
      if (hold.status !== 'active') return { kind: 'not-releasable', status: hold.status };
      // Only this hold's own leases go: the script checks the owner on every key.
      await this.fencedHolds.release({
        scope: holdScope(hold.eventId),
        resources: hold.seatIds,
        owner: hold.id,
      });
      await this.holds.move(sql, hold.id, ['active'], 'released');
      return { kind: 'released' };
    });
  }
}
