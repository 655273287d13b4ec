import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CAPTURE_PAYMENT_LIMITS, PLACE_HOLD_LIMITS } from '@suite/contracts';

// The public shapes of ticketing's routes, for the OpenAPI document. The gateway does not
// validate bodies against them: ticketing owns its validation and answers a clear 400.

export class EventResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Flash sale: the 10,000-seat arena' }) name!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ description: 'Price of one seat in minor units', example: 5000 })
  priceMinor!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

export class SeatResponse {
  @ApiProperty({ example: 'A-12' }) seatId!: string;
  @ApiProperty({ enum: ['available', 'held', 'sold'] }) status!: string;
}

export class PlaceHoldRequest {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: PLACE_HOLD_LIMITS.maxSeatIdLength },
    minItems: 1,
    maxItems: PLACE_HOLD_LIMITS.maxSeats,
    example: ['A-12', 'A-13'],
  })
  seatIds!: string[];
}

export class HoldResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ description: 'The token subject that placed the hold; only it may check out' })
  userId!: string;
  @ApiProperty({ type: [String] }) seatIds!: string[];
  @ApiProperty({ enum: ['active', 'checking-out', 'released', 'expired', 'purchased'] })
  status!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiPropertyOptional({
    description: 'Fencing token per seat',
    type: 'object',
    additionalProperties: { type: 'integer' },
  })
  tokens?: Record<string, number>;
}

export class CheckoutRequest {
  @ApiProperty({ format: 'uuid' }) holdId!: string;
  @ApiProperty({
    description: 'PSP token for the card or wallet, never a card number',
    minLength: 1,
    maxLength: CAPTURE_PAYMENT_LIMITS.maxSourceTokenLength,
    example: 'tok_visa',
  })
  paymentSource!: string;
}

export class CheckoutResponse {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ enum: ['pending', 'completed', 'compensated'] }) status!: string;
  @ApiProperty({ example: '/orders/0b9c…', description: 'Poll this while pending' })
  statusUrl!: string;
}

export class TicketResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'A-12' }) seatId!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) holdId!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ type: [String] }) seatIds!: string[];
  @ApiProperty({ enum: ['pending', 'completed', 'compensated'] }) status!: string;
  @ApiProperty({ example: 10000 }) amountMinor!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: [TicketResponse] }) tickets!: TicketResponse[];
}
