import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { answerOf, ApiErrors, type AuthenticatedUser, CurrentUser, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/ticketing.answers';
import { HoldResponse } from '../../http/ticketing.responses';
import { PlaceHoldRequest } from './place-hold.request';
import { PlaceHoldUseCase } from './place-hold.use-case';

@ApiTags('holds')
@Controller('holds')
export class PlaceHoldHttpController {
  constructor(private readonly placeHold: PlaceHoldUseCase) {}

  @Post()
  @ApiCreatedResponse({
    type: HoldResponse,
    links: {
      theHold: {
        operationId: 'GetHoldHttpController_get',
        parameters: { id: '$response.body#/holdId' },
      },
    },
  })
  @ApiErrors({
    400: 'A seat named twice, or a body that breaks the schema',
    404: 'No such event, or the event has no such seat',
    409: 'A seat is already held or sold, or the caller holds as many seats of the event as allowed',
    422: "More seats than this deployment's cap on one hold (MAX_SEATS_PER_HOLD, 10 by default)",
    429: 'Too many holds are being recorded at once (code "hold-admission-full"): try again after Retry-After seconds',
  })
  async place(
    @Body() body: PlaceHoldRequest,
    @CurrentUser() user: AuthenticatedUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.placeHold.execute({ ...body, userId: user.userId });
    await send(reply, answerOf(HTTP_ANSWERS.placeHold, result));
  }
}
