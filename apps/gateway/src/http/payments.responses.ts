import { ApiProperty } from '@nestjs/swagger';

// What payments answers on its public routes, relayed unchanged: for the OpenAPI document.

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
