import {
  Body,
  ConflictException,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  BadRequestException,
} from '@nestjs/common';
import { CurrentUser, type AuthenticatedUser } from '@suite/coordination-nest';
import { IdParams } from '../http/id.params';
import type { HoldView } from './domain/hold.view';
import { GetHoldUseCase } from './get-hold/get-hold.use-case';
import { PlaceHoldRequest } from './place-hold/place-hold.request';
import { PlaceHoldUseCase } from './place-hold/place-hold.use-case';
import { ReleaseHoldUseCase } from './release-hold/release-hold.use-case';

@Controller('holds')
export class HoldsHttpController {
  constructor(
    private readonly placeHold: PlaceHoldUseCase,
    private readonly getHold: GetHoldUseCase,
    private readonly releaseHold: ReleaseHoldUseCase,
  ) {}

  @Post()
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
    }
  }

  @Get(':id')
  async get(@Param() params: IdParams, @CurrentUser() user: AuthenticatedUser): Promise<HoldView> {
    const result = await this.getHold.execute(params.id, user.userId);
    if (result.kind === 'not-found')
      throw new NotFoundException(`hold ${params.id} does not exist`);
    if (result.kind === 'not-owner')
      throw new ForbiddenException('this hold belongs to another user');
    return result.hold;
  }

  @Delete(':id')
  @HttpCode(204)
  async release(@Param() params: IdParams, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    const result = await this.releaseHold.execute(params.id, user.userId);
    switch (result.kind) {
      case 'released':
        return;
      case 'not-found':
        throw new NotFoundException(`hold ${params.id} does not exist`);
      case 'not-owner':
        throw new ForbiddenException('only the owner of a hold may release it');
      case 'not-releasable':
        throw new ConflictException(`the hold is ${result.status} and can no longer be released`);
    }
  }
}
