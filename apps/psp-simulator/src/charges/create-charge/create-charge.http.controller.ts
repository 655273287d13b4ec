import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  answerOf,
  ApiErrors,
  IDEMPOTENCY_KEY_HEADER_DOC,
  Public,
  requireIdempotencyKey,
  send,
} from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { Pauses } from '../../faults/infra/pauses';
import { HTTP_ANSWERS } from '../../http/psp-simulator.answers';
import { ChargeDeclinedResponse, ChargeResponse } from '../../http/psp-simulator.responses';
import { CreateChargeRequest } from './create-charge.request';
import { CreateChargeUseCase } from './create-charge.use-case';

@ApiTags('charges')
// The merchant API: payments calls it with no token, as a merchant calls a card processor
// with its own credentials, which this simulator does not model.
@Public()
@Controller('charges')
export class CreateChargeHttpController {
  constructor(
    private readonly createCharge: CreateChargeUseCase,
    private readonly pauses: Pauses,
  ) {}

  @Post()
  @ApiHeader(IDEMPOTENCY_KEY_HEADER_DOC)
  @ApiCreatedResponse({ description: 'Charged', type: ChargeResponse })
  @ApiResponse({ status: 402, description: 'The card was declined', type: ChargeDeclinedResponse })
  @ApiErrors({
    422: 'The Idempotency-Key was used for a different charge, or callbackUrl is not on a configured origin',
    503: 'Simulated processing error; nothing was charged',
  })
  async create(
    @Headers('idempotency-key') keyHeader: string | undefined,
    @Body() body: CreateChargeRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const idempotencyKey = requireIdempotencyKey(keyHeader);
    const result = await this.createCharge.execute({ ...body, idempotencyKey });
    // timeout-after-charge: the charge is committed; the answer comes too late.
    if (result.kind === 'succeeded') await this.pauses.pause(result.holdMs);
    await send(reply, answerOf(HTTP_ANSWERS.createCharge, result));
  }
}
