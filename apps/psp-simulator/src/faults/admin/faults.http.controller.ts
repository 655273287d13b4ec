import { Body, Controller, Delete, Get, Put } from '@nestjs/common';
import { SCOPES } from '@suite/contracts';
import { RequireScopes } from '@suite/service-kit';
import { FaultPlan, type FaultSettings } from '../domain/fault-plan';
import { UpdateFaultsRequest } from './update-faults.request';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { FaultSettingsResponse } from '../../http/psp-simulator.responses';

// The admin API of the fault plan, for operators and test drivers only: an operator's token
// (scope ops:admin) is required even on the local network.
@ApiTags('admin')
@RequireScopes(SCOPES.opsAdmin)
@Controller('admin/faults')
export class FaultsHttpController {
  constructor(private readonly faults: FaultPlan) {}

  @Get()
  @ApiOkResponse({ type: FaultSettingsResponse })
  get(): FaultSettings {
    return this.faults.snapshot();
  }

  @Put()
  @ApiOkResponse({ type: FaultSettingsResponse })
  // Every field optional: no body at all changes nothing.
  @ApiBody({ type: UpdateFaultsRequest, required: false })
  update(@Body() body: UpdateFaultsRequest): FaultSettings {
    return this.faults.update(body);
  }

  // Back to the faults the process was booted with.
  @Delete()
  @ApiOkResponse({ type: FaultSettingsResponse })
  reset(): FaultSettings {
    return this.faults.reset();
  }
}
