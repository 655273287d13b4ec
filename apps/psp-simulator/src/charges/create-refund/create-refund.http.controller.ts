import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import {
  answerOf,
  ApiErrors,
  IDEMPOTENCY_KEY_HEADER_DOC,
  Public,
  requireIdempotencyKey,
  send,
} from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/psp-simulator.answers';
import { RefundResponse } from '../../http/psp-simulator.responses';
import { CreateRefundRequest } from './create-refund.request';
import { CreateRefundUseCase } from './create-refund.use-case';

@ApiTags('refunds')
// The merchant API: payments calls it with no token, as a merchant calls a card processor
// with its own credentials, which this simulator does not model.
@Public()
@Controller('refunds')
export class CreateRefundHttpController {
  constructor(private readonly createRefund: CreateRefundUseCase) {}

  @Post()
  @ApiHeader(IDEMPOTENCY_KEY_HEADER_DOC)
  @ApiCreatedResponse({ description: 'Refunded', type: RefundResponse })
  @ApiErrors({
    404: 'No such charge',
    409: 'Only a succeeded charge can be refunded',
    422: 'More than is left to refund, or the key was used for a different refund',
    503: 'Simulated processing error; nothing was refunded',
  })
  async create(
    @Headers('idempotency-key') keyHeader: string | undefined,
    @Body() body: CreateRefundRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const idempotencyKey = requireIdempotencyKey(keyHeader);
    const result = await this.createRefund.execute({ ...body, idempotencyKey });
    await send(reply, answerOf(HTTP_ANSWERS.createRefund, result));
  }
}
