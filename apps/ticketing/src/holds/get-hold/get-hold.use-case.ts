import { Inject, Injectable } from '@nestjs/common';
import type { Clock, SqlExecutor } from '@suite/coordination';
import { AUTOCOMMIT, CLOCK } from '../../ticketing.tokens';
import { toHoldView, type HoldView } from '../domain/hold.view';
import { HoldsRepository } from '../infra/holds.repository';

export type GetHoldResult =
  | { kind: 'found'; hold: HoldView }
  | { kind: 'not-found'; holdId: string }
  | { kind: 'not-owner'; holdId: string };

@Injectable()
export class GetHoldUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly holds: HoldsRepository,
  ) {}

  async execute(holdId: string, userId: string): Promise<GetHoldResult> {
    const hold = await this.holds.find(this.sql, holdId);
    if (!hold) return { kind: 'not-found', holdId };
    if (hold.userId !== userId) return { kind: 'not-owner', holdId };
    return { kind: 'found', hold: toHoldView(hold, this.clock.now()) };
  }
}
