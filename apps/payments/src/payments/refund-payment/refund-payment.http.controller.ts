import { Body, Controller, Headers, NotFoundException, Param, Post, Res } from '@nestjs/common';
import {
  type AuthenticatedUser,
  CurrentUser,
  requireIdempotencyKey,
} from '@suite/coordination-nest';
import type { FastifyReply } from 'fastify';
import { callerScope } from '../../http/idempotency-key';
import { problem, send } from '../../http/send';
import { isUuid } from '../../http/validation';
import { RefundPaymentRequest } from './refund-payment.request';
import { RefundPaymentUseCase } from './refund-payment.use-case';

@Controller('payments/:id/refunds')
export class RefundPaymentHttpController {
  constructor(private readonly refundPayment: RefundPaymentUseCase) {}

  @Post()
  async create(
    @Param('id') paymentId: string,
    @Headers('idempotency-key') keyHeader: string | undefined,
    @Body() body: RefundPaymentRequest,
    @CurrentUser() user: AuthenticatedUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!isUuid(paymentId)) throw new NotFoundException(`no payment ${paymentId}`);
    const key = requireIdempotencyKey(keyHeader);
    const outcome = await this.refundPayment.execute({
      scope: callerScope(user),
      key,
      paymentId,
      amountMinor: body.amountMinor,
    });
    switch (outcome.kind) {
      case 'responded':
        return send(
          reply,
          outcome.response.status,
          outcome.response.body,
          outcome.replayed ? { 'idempotent-replayed': 'true' } : {},
        );
      case 'in-progress':
        return send(
          reply,
          409,
          problem(
            409,
            'request_in_progress',
            'a request with this Idempotency-Key is still in progress',
          ),
          {
            'retry-after': String(Math.max(1, Math.ceil(outcome.retryAfterMs / 1000))),
          },
        );
      case 'payload-mismatch':
        return send(
          reply,
          422,
          problem(
            422,
            'idempotency_key_reused',
            'this Idempotency-Key was used with a different request',
          ),
        );
      case 'invalid-key':
        return send(
          reply,
          400,
          problem(400, 'invalid_idempotency_key', `Idempotency-Key: ${outcome.reason}`),
        );
      case 'outcome-unknown':
        return send(
          reply,
          503,
          problem(
            503,
            'refund_outcome_unknown',
            'the card processor did not answer; retry with the same Idempotency-Key',
          ),
          {
            'retry-after': '1',
          },
        );
    }
  }
}
