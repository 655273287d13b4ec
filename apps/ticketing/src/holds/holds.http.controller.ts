import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentUser, type AuthenticatedUser } from '@suite/service-kit';
import { IdParams } from '../http/id.params';
import { GetHoldUseCase } from './get-hold/get-hold.use-case';
import { PlaceHoldRequest } from './place-hold/place-hold.request';
import { PlaceHoldUseCase } from './place-hold/place-hold.use-case';
import { ReleaseHoldUseCase } from './release-hold/release-hold.use-case';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@suite/service-kit';
import { answerOf, HTTP_ANSWERS, send } from '../http/ticketing.answers';
import { HoldResponse } from '../http/ticketing.responses';

@ApiTags('holds')
@Controller('holds')
export class HoldsHttpController {
  constructor(
    private readonly placeHold: PlaceHoldUseCase,
    private readonly getHold: GetHoldUseCase,
    private readonly releaseHold: ReleaseHoldUseCase,
  ) {}

  @Post()
  @ApiCreatedResponse({
    type: HoldResponse,
    links: {
      theHold: {
        operationId: 'HoldsHttpController_get',
        parameters: { id: '$response.body#/holdId' },
      },
    },
  })
  @ApiErrors({
    400: 'Too many seats, or a seat named twice',
    404: 'No such event, or the event has no such seat',
    409: 'A seat is already held or sold, or the caller holds as many seats of the event as allowed',
  })
  async place(
    @Body() body: PlaceHoldRequest,
    @CurrentUser() user: AuthenticatedUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.placeHold.execute({ ...body, userId: user.userId });
    await send(reply, answerOf(HTTP_ANSWERS.placeHold, result));
  }

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

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Released; its seats are free again' })
  @ApiErrors({
    404: 'No such hold of the caller',
    409: 'The hold is no longer active',
  })
  async release(
    @Param() params: IdParams,
    @CurrentUser() user: AuthenticatedUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.releaseHold.execute(params.id, user.userId);
    await send(reply, answerOf(HTTP_ANSWERS.releaseHold, result));
  }
}
