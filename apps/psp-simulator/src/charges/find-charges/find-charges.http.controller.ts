import { Public } from '@suite/service-kit';
import { Controller, Get, Query } from '@nestjs/common';
import { FaultPlan } from '../../faults/domain/fault-plan';
import { Pauses } from '../../faults/pauses';
import type { ChargeView } from '../domain/charge';
import { toChargeView } from '../infra/charge.mapper';
import { ChargesRepository } from '../infra/charges.repository';
import { FindChargesQuery } from './find-charges.query';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ChargeListResponse } from '../psp.responses';

// How a merchant reconciles: "did you charge under this key?" A list, so "no" is an empty
// answer rather than an error.
@ApiTags('charges')
// The merchant API: payments calls it with no token, as a merchant calls a card processor
// with its own credentials, which this simulator does not model.
@Public()
@Controller('charges')
export class FindChargesHttpController {
  constructor(
    private readonly charges: ChargesRepository,
    private readonly faults: FaultPlan,
    private readonly pauses: Pauses,
  ) {}

  @Get()
  @ApiOkResponse({ type: ChargeListResponse })
  async find(@Query() query: FindChargesQuery): Promise<{ data: ChargeView[] }> {
    const { idempotencyKey, merchantReference } = query;
    // Every filter given must match, and the simulator never lists every charge: with no
    // filter nothing matches. (Both parameters are optional, as the document says.)
    if (!idempotencyKey && !merchantReference) return { data: [] };
    // Latency applies here too: a slow PSP is slow to reconcile against as well.
    await this.pauses.pause(this.faults.latencyMs);
    const filter = {
      ...(idempotencyKey ? { idempotencyKey } : {}),
      ...(merchantReference ? { merchantReference } : {}),
    };
    return { data: (await this.charges.findCharges(filter)).map(toChargeView) };
  }
}
