import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER_DOC, Public, requireIdempotencyKey } from '@suite/service-kit';
import { SinkReceiptResponse } from '../../http/scheduler.responses';
import type { SinkReceipt } from '../infra/sink.repository';
import { ReceiveDeliveryRequest } from './receive-delivery.request';
import { ReceiveDeliveryUseCase } from './receive-delivery.use-case';

@ApiTags('sink')
// The scheduler's own deliveries arrive here with no token, as a webhook receiver's would.
@Public()
@Controller('sink/deliveries')
export class ReceiveDeliveryHttpController {
  constructor(private readonly receiveDelivery: ReceiveDeliveryUseCase) {}

  @Post()
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_KEY_HEADER_DOC)
  @ApiOkResponse({ type: SinkReceiptResponse, description: 'Received; applied on the first' })
  async receive(
    @Headers('idempotency-key') keyHeader: string | undefined,
    @Body() body: ReceiveDeliveryRequest,
  ): Promise<SinkReceipt> {
    const idempotencyKey = requireIdempotencyKey(keyHeader);
    return this.receiveDelivery.execute({
      idempotencyKey,
      jobId: body.jobId,
      scheduledAt: body.scheduledAt.getTime(),
    });
  }
}
