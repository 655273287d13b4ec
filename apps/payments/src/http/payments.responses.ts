import { ApiProperty } from '@nestjs/swagger';
import type { PaymentStatus } from '../payments/domain/payment-status';

// What payments' routes answer, for its OpenAPI document: PaymentView, a refund, and the
// 402 of a failed payment. A field added to a view belongs here too, or the fuzz stage's
// response_schema_conformance reports it.

// Every PaymentStatus; the compiler checks the list against the type.
const PAYMENT_STATUSES: Record<PaymentStatus, true> = {
  pending: true,
  processing: true,
  captured: true,
  failed: true,
  partially_refunded: true,
  refunded: true,
};

export class PaymentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: Object.keys(PAYMENT_STATUSES) }) status!: string;
  @ApiProperty({ type: 'integer', description: 'Minor units (cents)' }) amountMinor!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty() merchantReference!: string;
  @ApiProperty({ type: 'integer' }) refundedMinor!: number;
  @ApiProperty({ type: 'string', nullable: true }) failureReason!: string | null;
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
