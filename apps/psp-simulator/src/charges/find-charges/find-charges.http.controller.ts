import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@suite/service-kit';
import { ChargeListResponse } from '../../http/psp-simulator.responses';
import type { ChargeView } from '../domain/charge';
import { FindChargesQuery } from './find-charges.query';
import { FindChargesUseCase } from './find-charges.use-case';

@ApiTags('charges')
// The merchant API: payments calls it with no token, as a merchant calls a card processor
// with its own credentials, which this simulator does not model.
@Public()
@Controller('charges')
export class FindChargesHttpController {
  constructor(private readonly findCharges: FindChargesUseCase) {}

  @Get()
  @ApiOkResponse({ type: ChargeListResponse })
  async find(@Query() query: FindChargesQuery): Promise<{ data: ChargeView[] }> {
    return { data: await this.findCharges.execute(query) };
  }
}
