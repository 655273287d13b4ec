import { Body, Controller, Headers, HttpStatus, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public, requireIdempotencyKey } from '@suite/service-kit';
import { send } from '../create-charge/create-charge.http.controller';
import { CreateRefundRequest } from './create-refund.request';
import { CreateRefundUseCase } from './create-refund.use-case';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { ApiErrors, IDEMPOTENCY_KEY_HEADER_DOC } from '@suite/service-kit';
import { RefundResponse } from '../psp.responses';

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
    const error = (status: number, code: string, message: string) =>
      send(reply, status, { statusCode: status, error: code, message });
    switch (result.kind) {
      case 'refunded':
        return send(reply, HttpStatus.CREATED, result.refund, result.replayed);
      case 'key-reused':
        return error(
          422,
          'idempotency_key_reused',
          'this Idempotency-Key was used for a different refund',
        );
      case 'charge-not-found':
        return error(404, 'charge_not_found', `no charge ${body.chargeId}`);
      case 'not-refundable':
        return error(409, 'charge_not_refundable', 'only a succeeded charge can be refunded');
      case 'exceeds-charge':
        return error(
          422,
          'amount_too_large',
          `at most ${result.refundableMinor} can still be refunded`,
        );
      case 'unavailable':
        return error(503, 'processing_error', 'simulated processing error; nothing was refunded');
    }
  }
}
