import {
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  BadRequestException,
} from '@nestjs/common';
import { CurrentUser, type AuthenticatedUser } from '@suite/service-kit';
import { IdParams } from '../http/id.params';
import type { HoldView } from './domain/hold.view';
import { GetHoldUseCase } from './get-hold/get-hold.use-case';
import { PlaceHoldRequest } from './place-hold/place-hold.request';
import { PlaceHoldUseCase } from './place-hold/place-hold.use-case';
import { ReleaseHoldUseCase } from './release-hold/release-hold.use-case';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@suite/service-kit';
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
  ): Promise<HoldView> {
    const result = await this.placeHold.execute({ ...body, userId: user.userId });
    switch (result.kind) {
      case 'placed':
        return result.hold;
      case 'event-not-found':
        throw new NotFoundException(`event ${body.eventId} does not exist`);
      case 'unknown-seats':
        throw new NotFoundException({
          message: `event ${body.eventId} has no seats ${result.seatIds.join(', ')}`,
          seatIds: result.seatIds,
        });
      case 'too-many-seats':
        throw new BadRequestException(`a hold takes at most ${result.max} seats`);
      case 'duplicate-seats':
        throw new BadRequestException('seatIds must not repeat a seat');
      case 'seats-taken':
        throw new ConflictException({
          message: `seats already taken: ${result.seatIds.join(', ')}`,
          seatIds: result.seatIds,
        });
      case 'held-seat-cap':
        throw new ConflictException(
          `one user may hold at most ${result.max} seats of an event at once: you hold ${result.held}, ` +
            `this hold asks for ${result.wanted} more; check out or release a hold first`,
        );
    }
  }

  @Get(':id')
  @ApiOkResponse({ type: HoldResponse })
  @ApiErrors({ 404: 'No such hold of the caller' })
  async get(@Param() params: IdParams, @CurrentUser() user: AuthenticatedUser): Promise<HoldView> {
    const result = await this.getHold.execute(params.id, user.userId);
    // Another user's hold answers as a missing one: a 403 would confirm that the id exists.
    if (result.kind === 'not-found' || result.kind === 'not-owner')
      throw new NotFoundException(`hold ${params.id} does not exist`);
    return result.hold;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Released; its seats are free again' })
  @ApiErrors({
    404: 'No such hold of the caller',
    409: 'The hold is no longer active',
  })
  async release(@Param() params: IdParams, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    const result = await this.releaseHold.execute(params.id, user.userId);
    switch (result.kind) {
      case 'released':
        return;
      case 'not-found':
      case 'not-owner':
        throw new NotFoundException(`hold ${params.id} does not exist`);
      case 'not-releasable':
        throw new ConflictException(`the hold is ${result.status} and can no longer be released`);
    }
  }
}
