import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { answerOf, ApiErrors, type AuthenticatedUser, CurrentUser, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { IdParams } from '../../http/id.params';
import { HTTP_ANSWERS } from '../../http/ticketing.answers';
import { HoldResponse } from '../../http/ticketing.responses';
import { GetHoldUseCase } from './get-hold.use-case';

@ApiTags('holds')
@Controller('holds')
export class GetHoldHttpController {
  constructor(private readonly getHold: GetHoldUseCase) {}

  @Get(':id')
  @ApiOkResponse({ type: HoldResponse })
  @ApiErrors({ 404: 'No such hold of the caller' })
  async get(
    @Param() params: IdParams,
    @CurrentUser() user: AuthenticatedUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.getHold.execute(params.id, user.userId);
    await send(reply, answerOf(HTTP_ANSWERS.getHold, result));
  }
}
