import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import { FaultPlan } from '../../faults/domain/fault-plan';
import { Pauses } from '../../faults/infra/pauses';
import { AUTOCOMMIT } from '../../psp-simulator.tokens';
import { toChargeView, type ChargeView } from '../domain/charge';
import { ChargesRepository } from '../infra/charges.repository';

// How a merchant reconciles: "did you charge under this key?" A list, so "no" is an empty
// answer rather than an error.
@Injectable()
export class FindChargesUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly charges: ChargesRepository,
    private readonly faults: FaultPlan,
    private readonly pauses: Pauses,
  ) {}

  async execute(filter: {
    idempotencyKey?: string | undefined;
    merchantReference?: string | undefined;
  }): Promise<ChargeView[]> {
    const { idempotencyKey, merchantReference } = filter;
    // Every filter given must match, and the simulator never lists every charge: with no
    // filter nothing matches. (Both parameters are optional, as the document says.)
    if (!idempotencyKey && !merchantReference) return [];
    // Latency applies here too: a slow PSP is slow to reconcile against as well.
    await this.pauses.pause(this.faults.latencyMs);
    const charges = await this.charges.find(this.sql, {
      ...(idempotencyKey ? { idempotencyKey } : {}),
      ...(merchantReference ? { merchantReference } : {}),
    });
    return charges.map(toChargeView);
  }
}
