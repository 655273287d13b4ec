import { ApiProperty } from '@nestjs/swagger';

// What payments answers on its public routes, relayed unchanged: for the OpenAPI document.

export class PaymentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    enum: ['pending', 'processing', 'captured', 'failed', 'partially_refunded', 'refunded'],
  })
  status!: string;
  @ApiProperty({ type: 'integer', example: 5000 }) amountMinor!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty() merchantReference!: string;
  @ApiProperty({ type: 'integer', example: 0 }) refundedMinor!: number;
  @ApiProperty({ type: String, nullable: true }) failureReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class RefundResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty({ type: 'integer' }) amountMinor!: number;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status!: string;
  @ApiProperty({ type: PaymentResponse }) payment!: PaymentResponse;
}

// 402: the error body with the failed payment in it.
export class PaymentFailedResponse {
  @ApiProperty({ enum: [402] }) statusCode!: number;
  @ApiProperty({ enum: ['payment_failed'] }) error!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: PaymentResponse }) payment!: PaymentResponse;
}
