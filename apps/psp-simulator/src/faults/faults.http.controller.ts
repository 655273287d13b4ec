import { Body, Controller, Delete, Get, Put } from '@nestjs/common';
import { FaultPlan, type FaultSettings } from './domain/fault-plan';
import { UpdateFaultsRequest } from './update-faults.request';

// The admin API of the fault plan. No auth: the simulator is a test double and must
// never be exposed beyond the local network.
@Controller('admin/faults')
export class FaultsHttpController {
  constructor(private readonly faults: FaultPlan) {}

  @Get()
  get(): FaultSettings {
    return this.faults.snapshot();
  }

  @Put()
  update(@Body() body: UpdateFaultsRequest): FaultSettings {
    return this.faults.update(body);
  }

  // Back to the faults the process was booted with.
  @Delete()
  reset(): FaultSettings {
    return this.faults.reset();
  }
}
