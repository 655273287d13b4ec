import { Controller, Delete, HttpCode, Param, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { answerOf, ApiErrors, type AuthenticatedUser, CurrentUser, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { IdParams } from '../../http/id.params';
import { HTTP_ANSWERS } from '../../http/ticketing.answers';
import { ReleaseHoldUseCase } from './release-hold.use-case';

@ApiTags('holds')
@Controller('holds')
export class ReleaseHoldHttpController {
  constructor(private readonly releaseHold: ReleaseHoldUseCase) {}

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
