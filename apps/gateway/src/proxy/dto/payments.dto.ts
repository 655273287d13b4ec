import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// The public shapes of the payments routes, for the OpenAPI document. Payments validates
// bodies itself; amounts are integers in minor units, never floats.

export class CreatePaymentRequest {
  @ApiProperty({ minimum: 1, maximum: 100_000_000, example: 5000 }) amountMinor!: number;
  @ApiProperty({ pattern: '^[A-Z]{3}$', example: 'EUR' }) currency!: string;
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'tok_visa' }) sourceToken!: string;
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'order-0b9c' }) merchantReference!: string;
}

export class RefundPaymentRequest {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 100_000_000,
    description: 'Absent: refund everything not yet refunded',
  })
  amountMinor?: number;
}

export class PaymentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'captured' }) status!: string;
  @ApiProperty({ example: 5000 }) amountMinor!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty() merchantReference!: string;
  @ApiProperty({ example: 0 }) refundedMinor!: number;
  @ApiProperty({ type: String, nullable: true }) failureReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
