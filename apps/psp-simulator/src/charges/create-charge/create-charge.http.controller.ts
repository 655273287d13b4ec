import { Body, Controller, Headers, HttpStatus, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Pauses } from '../../faults/pauses';
import { Public, requireIdempotencyKey } from '@suite/service-kit';
import { CreateChargeRequest } from './create-charge.request';
import { CreateChargeUseCase } from './create-charge.use-case';
import { ApiCreatedResponse, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, IDEMPOTENCY_KEY_HEADER_DOC } from '@suite/service-kit';
import { ChargeDeclinedResponse, ChargeResponse } from '../psp.responses';

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
    switch (result.kind) {
      case 'succeeded':
        // timeout-after-charge: the charge is committed; the answer comes too late.
        await this.pauses.pause(result.holdMs);
        await send(reply, HttpStatus.CREATED, result.charge, result.replayed);
        return;
      case 'declined':
        await send(
          reply,
          HttpStatus.PAYMENT_REQUIRED,
          {
            statusCode: 402,
            error: 'card_declined',
            message: 'the card was declined',
            charge: result.charge,
          },
          result.replayed,
        );
        return;
      case 'key-reused':
        await send(reply, HttpStatus.UNPROCESSABLE_ENTITY, {
          statusCode: 422,
          error: 'idempotency_key_reused',
          message: 'this Idempotency-Key was used for a different charge',
        });
        return;
      // A well-formed URL this simulator is not configured to call: refused for what it
      // asks, not how, so 422 rather than 400.
      case 'callback-not-allowed':
        await send(reply, HttpStatus.UNPROCESSABLE_ENTITY, {
          statusCode: 422,
          error: 'callback_origin_not_allowed',
          message: `callbackUrl must be on a configured callback origin (PSP_CALLBACK_ORIGINS); ${result.origin} is not one`,
        });
        return;
      case 'unavailable':
        await send(reply, HttpStatus.SERVICE_UNAVAILABLE, {
          statusCode: 503,
          error: 'processing_error',
          message: 'simulated processing error; nothing was charged',
        });
        return;
    }
  }
}

export async function send(
  reply: FastifyReply,
  status: number,
  body: unknown,
  replayed = false,
): Promise<void> {
  if (replayed) void reply.header('idempotent-replayed', 'true');
  await reply.status(status).send(body);
}
