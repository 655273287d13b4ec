import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CAPTURE_PAYMENT_LIMITS as LIMITS } from '@suite/contracts';

// The request bodies of the payments routes, for the OpenAPI document. Payments validates
// bodies itself; amounts are integers in minor units, never floats.

export class CreatePaymentRequest {
  @ApiProperty({
    type: 'integer',
    minimum: LIMITS.minAmountMinor,
    maximum: LIMITS.maxAmountMinor,
    example: 5000,
  })
  amountMinor!: number;
  @ApiProperty({ enum: LIMITS.currencies, example: 'EUR' }) currency!: string;
  @ApiProperty({ minLength: 1, maxLength: LIMITS.maxSourceTokenLength, example: 'tok_visa' })
  sourceToken!: string;
  @ApiProperty({
    minLength: 1,
    maxLength: LIMITS.maxMerchantReferenceLength,
    example: 'order-0b9c',
  })
  merchantReference!: string;
}

export class RefundPaymentRequest {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: LIMITS.maxAmountMinor,
    description: 'Absent: refund everything not yet refunded',
  })
  amountMinor?: number;
}
